import { GraphQLDate } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { idOf } from '../common/global-id';
import type { AppContext } from '../context';
import { PlanType, SetTenantPlanPayload, UsageDay } from './plan.types';
import { TenantType, Viewer } from './tenant.types';

/** Days `usage` covers when `from` is not given: the last 30, today included. */
const DEFAULT_USAGE_DAYS = 30;

@Resolver(() => TenantType)
export class TenantPlanResolver {
  @FieldResolver(() => PlanType, { description: "The tenant's plan: its quotas and limits." })
  plan(@Root() tenant: TenantType, @Ctx() ctx: AppContext): Promise<PlanType> {
    return ctx.services.plans.plan(tenant.id);
  }

  @FieldResolver(() => [UsageDay], {
    description: `Operations by UTC day and type, oldest first; days without any are left out. \`to\` defaults to today, \`from\` to ${DEFAULT_USAGE_DAYS - 1} days before \`to\`; at most 366 days.`,
  })
  usage(
    @Root() tenant: TenantType,
    @Arg('from', () => GraphQLDate, { nullable: true }) from: Date | undefined,
    @Arg('to', () => GraphQLDate, { nullable: true }) to: Date | undefined,
    @Ctx() ctx: AppContext,
  ): Promise<UsageDay[]> {
    const until = to ?? new Date();
    const since = from ?? new Date(until.getTime() - (DEFAULT_USAGE_DAYS - 1) * 86_400_000);
    return ctx.services.plans.usage(tenant.id, since, until);
  }

  @Mutation(() => SetTenantPlanPayload, {
    description:
      'Moves a tenant to another plan; its new limits apply at once on every instance. Needs the OPERATOR scope.',
  })
  setTenantPlan(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('plan', () => String) plan: string,
    @Ctx() ctx: AppContext,
  ): Promise<SetTenantPlanPayload> {
    return ctx.services.plans.setTenantPlan(idOf('Tenant', tenantId, 'tenantId'), plan);
  }
}

@Resolver(() => Viewer)
export class ViewerPlanResolver {
  @FieldResolver(() => PlanType, { description: "The plan of the caller's tenant." })
  plan(@Root() viewer: Viewer, @Ctx() ctx: AppContext): Promise<PlanType> {
    return ctx.services.plans.plan(viewer.tenant.id);
  }
}
