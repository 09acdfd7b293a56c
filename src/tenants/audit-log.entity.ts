import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Tenant } from './tenant.entity';
import { User } from './user.entity';

/** Who changed what, written in the same transaction as the change. */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['tenant', 'createdAt'] })
export class AuditLog {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @ManyToOne(() => Tenant, { ref: true, nullable: true, deleteRule: 'set null' })
  tenant?: Ref<Tenant> | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  user?: Ref<User> | null;

  /** e.g. `match.create`, `match.event.record`. */
  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'string', length: 64 })
  entityType!: string;

  @Property({ type: 'string', length: 64 })
  entityId!: string;

  @Property({ type: 'json', nullable: true })
  data?: Record<string, unknown> | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
