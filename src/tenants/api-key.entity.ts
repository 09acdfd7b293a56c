import { Check, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Membership } from './membership.entity';
import { Scope } from './scope';

/** An API key acting as one tenant member. Only the SHA-256 of the secret is stored. */
@Entity({ tableName: 'api_key' })
@Check({ name: 'api_key_scopes_valid', expression: `scopes <@ array['OPERATOR', 'INGEST']::text[]` })
export class ApiKey {
  [OptionalProps]?: 'createdAt' | 'scopes';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Membership, { ref: true, deleteRule: 'cascade', index: true })
  membership!: Ref<Membership>;

  @Property({ type: 'string', length: 128 })
  name!: string;

  /** First characters of the key, shown in listings so users can tell keys apart. */
  @Property({ type: 'string', length: 16 })
  prefix!: string;

  /** Hex SHA-256 of the whole key; keys are 192-bit random, so no slow hash is needed. */
  @Property({ type: 'string', length: 64 })
  @Unique()
  hash!: string;

  /** Platform permissions beyond the member's role; granted only by someone holding them. */
  @Enum({ items: () => Scope, array: true, default: [] })
  scopes: Scope[] = [];

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** When the key last authenticated a request, to the hour. */
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;
}
