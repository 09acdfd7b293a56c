import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Plan } from './plan.entity';

/** An organisation using Matchcast (GraphQL: `TenantType` in tenant.types.ts). */
@Entity({ tableName: 'tenant' })
export class Tenant {
  [OptionalProps]?: 'createdAt' | 'plan';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 64 })
  @Unique()
  slug!: string;

  @Property({ type: 'string', length: 128 })
  name!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Whose limits apply; the default plan (the database's `default_plan_id()`) unless set. */
  @ManyToOne(() => Plan, { ref: true, defaultRaw: 'default_plan_id()' })
  plan!: Ref<Plan>;
}
