import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDate } from 'graphql-scalars';
import { OperationType } from './operation-type';

@ObjectType('Plan', {
  simpleResolvers: true,
  description: "A tenant's limits. Per-minute quotas count across every server instance (with Redis).",
})
export class PlanType {
  /** Database id (not in the schema). */
  id!: number;

  @Field(() => String, { description: 'e.g. `free`, `standard`, `pro`, `enterprise`.' })
  name!: string;

  @Field(() => Int, { description: 'GraphQL operations per minute, HTTP and WebSocket together.' })
  requestsPerMinute!: number;

  @Field(() => Int, { description: "Sum of the operations' cost estimates per minute." })
  queryCostPerMinute!: number;

  @Field(() => Int, { description: 'Subscriptions open at once, across all of the tenant’s sockets.' })
  maxSubscriptions!: number;

  @Field(() => Int, { description: 'WebSockets open at once per API key.' })
  maxSocketsPerKey!: number;

  @Field(() => Int)
  maxCustomModels!: number;

  @Field(() => Int)
  maxAlertRules!: number;
}

@ObjectType('UsageDay', { simpleResolvers: true, description: "A tenant's operations of one type on one UTC day." })
export class UsageDay {
  @Field(() => GraphQLDate, { description: 'The UTC day.' })
  day!: string;

  @Field(() => OperationType)
  operationType!: OperationType;

  @Field(() => Int, { description: 'Operations served (WebSocket operations included).' })
  operations!: number;

  @Field(() => Float, { description: 'Sum of their cost estimates.' })
  cost!: number;

  @Field(() => Int, { description: 'Operations refused with RATE_LIMITED.' })
  rateLimited!: number;
}

@ObjectType({ simpleResolvers: true })
export class SetTenantPlanPayload {
  @Field(() => ID, { description: 'Global ID of the tenant.' })
  tenantId!: string;

  @Field(() => PlanType, { description: 'Its plan from now on.' })
  plan!: PlanType;

  @Field(() => String, { description: 'The plan it had before.' })
  previousPlan!: string;
}
