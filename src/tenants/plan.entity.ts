import { Check, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * What a tenant may use: rates per minute (counted in Redis, or in memory without it), things it
 * may hold open at once, and things it may create. Set by the operator (`setTenantPlan`); a
 * tenant without one is on the plan marked `isDefault` (the database default of `tenant.plan_id`).
 */
@Entity({ tableName: 'plan' })
@Unique({
  name: 'plan_single_default',
  expression: 'create unique index "plan_single_default" on "plan" ("is_default") where "is_default"',
})
@Check({
  name: 'plan_limits_positive',
  expression:
    'requests_per_minute > 0 and query_cost_per_minute > 0 and max_subscriptions >= 0 and max_sockets_per_key > 0 and max_custom_models >= 0 and max_alert_rules >= 0',
})
export class Plan {
  [OptionalProps]?: 'isDefault' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 32 })
  @Unique()
  name!: string;

  /** GraphQL operations per minute (HTTP requests and WebSocket operations alike). */
  @Property({ type: 'integer' })
  requestsPerMinute!: number;

  /** Sum of the operations' cost estimates (graphql-armor's) per minute. */
  @Property({ type: 'integer' })
  queryCostPerMinute!: number;

  /** Subscriptions open at once across the tenant's sockets and every server instance. */
  @Property({ type: 'integer' })
  maxSubscriptions!: number;

  /** WebSockets open at once per API key, across every server instance. */
  @Property({ type: 'integer' })
  maxSocketsPerKey!: number;

  @Property({ type: 'integer' })
  maxCustomModels!: number;

  @Property({ type: 'integer' })
  maxAlertRules!: number;

  /** The plan of tenants created without one; exactly one plan has it. */
  @Property({ type: 'boolean', default: false })
  isDefault: boolean = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
