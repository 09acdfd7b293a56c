import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A data feed that posts to the webhook: its name is the `source` of the events it sends, and
 * its secret signs the bodies (HMAC-SHA256). The secret is kept because verifying needs it; it is
 * shown only when made, and never logged or answered again.
 */
@Entity({ tableName: 'ingest_source' })
export class IngestSource {
  [OptionalProps]?: 'createdAt' | 'secretRotatedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 64 })
  @Unique()
  name!: string;

  @Property({ type: 'string', length: 128, hidden: true })
  secret!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  secretRotatedAt: Date = new Date();
}
