import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Role } from './role';
import { Tenant } from './tenant.entity';
import { User } from './user.entity';

/** A user's role in one tenant. */
@Entity({ tableName: 'membership' })
@Unique({ properties: ['tenant', 'user'] })
export class Membership {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Tenant, { ref: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: true })
  user!: Ref<User>;

  /** What this tenant calls the member: its own, never shown to another tenant. */
  @Property({ type: 'string', length: 255 })
  name!: string;

  @Enum({ items: () => Role, type: 'string', length: 16 })
  role!: Role;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
