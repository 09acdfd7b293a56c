import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** Stored lower-cased so uniqueness ignores case. */
  @Property({ type: 'string', length: 254 })
  @Unique()
  email!: string;

  @Property({ type: 'string', length: 128 })
  name!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
