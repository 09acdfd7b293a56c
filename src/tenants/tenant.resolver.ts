import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, parsePage, type Connection } from '../common/connection';
import type { AppContext } from '../context';
import { AuditLogFilter, CreateTenantInput } from './tenant.inputs';
import type { ApiKeyType, AuditEntry, Member } from './tenant.types';
import {
  ApiKeyConnection,
  AuditEntryConnection,
  CreateTenantPayload,
  MemberConnection,
  TenantType,
  Viewer,
} from './tenant.types';

@Resolver(() => TenantType)
export class TenantResolver {
  @Query(() => Viewer, { description: 'Who is calling: user, tenant, role and scopes of the API key.' })
  viewer(@Ctx() ctx: AppContext): Promise<Viewer> {
    return ctx.services.tenants.viewer();
  }

  @FieldResolver(() => MemberConnection, { description: 'Members by joining order.' })
  members(
    @Root() tenant: TenantType,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<Member>> {
    const { limit, after } = parsePage(page, ctx.config.maxPageSize);
    return ctx.services.tenants.members(tenant.id, limit, after);
  }

  @FieldResolver(() => ApiKeyConnection, { description: "Every member's keys, revoked ones too, oldest first. ADMIN." })
  apiKeys(
    @Root() tenant: TenantType,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<ApiKeyType>> {
    const { limit, after } = parsePage(page, ctx.config.maxPageSize);
    return ctx.services.tenants.apiKeys(tenant.id, limit, after);
  }

  @FieldResolver(() => AuditEntryConnection, { description: 'Changes made in the tenant, newest first. ADMIN.' })
  auditLog(
    @Root() tenant: TenantType,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<AuditEntry>> {
    const { limit, after } = parsePage(page, ctx.config.maxPageSize);
    return ctx.services.tenants.auditLog(tenant.id, { ...filter }, limit, after);
  }

  @Mutation(() => CreateTenantPayload, {
    description: "Creates a tenant with its first OWNER and the owner's first key. Needs the OPERATOR scope.",
  })
  createTenant(
    @Arg('input', () => CreateTenantInput) input: CreateTenantInput,
    @Ctx() ctx: AppContext,
  ): Promise<CreateTenantPayload> {
    return ctx.services.tenants.createTenant({ ...input });
  }
}
