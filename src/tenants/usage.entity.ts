import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { OperationType } from './operation-type';
import { Tenant } from './tenant.entity';

/**
 * A tenant's operations per UTC day and operation type. Each server process counts in memory
 * and adds its counts here every few seconds (see `UsageRecorder`), so no request writes.
 */
@Entity({ tableName: 'tenant_usage' })
@Check({ name: 'tenant_usage_counts_non_negative', expression: 'operations >= 0 and cost >= 0 and rate_limited >= 0' })
export class TenantUsage {
  @ManyToOne(() => Tenant, { ref: true, primary: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  /** UTC day, `YYYY-MM-DD`. */
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Enum({ items: () => OperationType, type: 'string', length: 16, primary: true })
  operationType!: OperationType;

  /** Operations admitted (HTTP requests and WebSocket operations). */
  @Property({ type: 'bigint', default: 0 })
  operations!: string;

  /** Sum of their cost estimates. */
  @Property({ type: 'bigint', default: 0 })
  cost!: string;

  /** Operations refused with RATE_LIMITED. */
  @Property({ type: 'bigint', default: 0 })
  rateLimited!: string;
}
