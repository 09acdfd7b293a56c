import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { toGlobalId } from '../common/global-id';
import type { Quotas } from '../quotas/quotas';
import { selectRows } from '../db/select';
import { selectTenantRows } from '../db/tenant-scope';
import { BadUserInputError, NotFoundError } from '../errors';
import { holdsAnyScope, Scope } from './scope';
import { auditInsertFrom } from './audit';
import type { OperationType } from './operation-type';
import { PlanType, type SetTenantPlanPayload, UsageDay } from './plan.types';

/** Longest span `usage` answers at once, in days. */
export const MAX_USAGE_DAYS = 366;

export interface PlanRow {
  id: number;
  name: string;
  requests_per_minute: number;
  query_cost_per_minute: number;
  max_subscriptions: number;
  max_sockets_per_key: number;
  max_custom_models: number;
  max_alert_rules: number;
}

export const PLAN_COLUMNS =
  'p.id, p.name, p.requests_per_minute, p.query_cost_per_minute, p.max_subscriptions, p.max_sockets_per_key, p.max_custom_models, p.max_alert_rules';

export function planFromRow(row: PlanRow): PlanType {
  return Object.assign(new PlanType(), {
    id: row.id,
    name: row.name,
    requestsPerMinute: row.requests_per_minute,
    queryCostPerMinute: row.query_cost_per_minute,
    maxSubscriptions: row.max_subscriptions,
    maxSocketsPerKey: row.max_sockets_per_key,
    maxCustomModels: row.max_custom_models,
    maxAlertRules: row.max_alert_rules,
  });
}

/** The plan of a tenant in one statement; null when there is no such tenant. */
export async function planOfTenant(em: EntityManager, tenantId: number): Promise<PlanType | null> {
  const [row] = await selectRows<PlanRow>(
    em,
    `select ${PLAN_COLUMNS} from tenant t join plan p on p.id = t.plan_id where t.id = ?`,
    [tenantId],
  );
  return row ? planFromRow(row) : null;
}

interface UsageRow {
  day: string;
  operation_type: OperationType;
  operations: string;
  cost: string;
  rate_limited: string;
}

/** Days `from` to `to` (UTC, both included) as `YYYY-MM-DD`; refuses reversed or too long spans. */
export function usageSpan(from: Date, to: Date): { from: string; to: string } {
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  if (days < 0) throw new BadUserInputError('`from` must not be after `to`', 'from');
  if (days >= MAX_USAGE_DAYS) throw new BadUserInputError(`At most ${MAX_USAGE_DAYS} days at once`, 'to');
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/**
 * Plans and usage of tenants. A tenant's plan and usage are its own: other tenants' answer
 * NOT_FOUND (no existence oracle), whatever the permission rules let through.
 */
export class PlanService {
  constructor(private readonly deps: { em: EntityManager; principal: Principal | null; quotas: Quotas }) {}

  /** The tenant's plan, from the quotas' cache (no statement per request). */
  async plan(tenantId: number): Promise<PlanType> {
    return this.deps.quotas.plan(this.ownTenantOrNotFound(tenantId));
  }

  /** Usage by day and type, this process's latest counts included (other instances' within seconds). */
  async usage(tenantId: number, from: Date, to: Date): Promise<UsageDay[]> {
    const own = this.ownTenantOrNotFound(tenantId);
    const span = usageSpan(from, to);
    await this.deps.quotas.usage.flush();
    const rows = await selectTenantRows<UsageRow>(
      this.deps.em,
      own,
      `select to_char(day, 'YYYY-MM-DD') as day, operation_type, operations, cost, rate_limited
         from tenant_usage where tenant_id = ? and day between ?::date and ?::date
        order by day, operation_type`,
      [own, span.from, span.to],
    );
    return rows.map((row) =>
      Object.assign(new UsageDay(), {
        day: row.day,
        operationType: row.operation_type,
        operations: Number(row.operations),
        cost: Number(row.cost),
        rateLimited: Number(row.rate_limited),
      }),
    );
  }

  /**
   * Moves a tenant to another plan, with its audit row in the same transaction (one statement).
   * Operators only. Every instance applies the new limits at once after the commit.
   */
  async setTenantPlan(tenantId: number, planName: string): Promise<SetTenantPlanPayload> {
    const changed = await this.changePlan(tenantId, planName);
    this.deps.quotas.planChanged(tenantId);
    return changed;
  }

  private async changePlan(tenantId: number, planName: string): Promise<SetTenantPlanPayload> {
    const principal = this.deps.principal;
    // The permission rule checks this too; a service is not reachable around it, but stays safe.
    if (!principal || !holdsAnyScope(principal.scopes, [Scope.OPERATOR])) throw new NotFoundError('Tenant', tenantId);
    const em = this.deps.em.fork() as EntityManager;
    return em.transactional(async (tx) => {
      const [plan] = await selectRows<PlanRow>(
        tx as EntityManager,
        `select ${PLAN_COLUMNS} from plan p where p.name = ?`,
        [planName],
      );
      if (!plan) throw new BadUserInputError(`There is no plan named "${planName}"`, 'plan');
      // The change and its audit row in one statement, inside the transaction.
      // In the changed tenant's log (its OWNER sees who moved it), by the operator's user.
      const audited = auditInsertFrom(
        'changed',
        principal,
        'tenant.plan.set',
        'Tenant',
        { plan: plan.name },
        'audited',
      );
      const [changed] = await selectRows<{ previous_plan: string }>(
        tx as EntityManager,
        `with previous as (
           select t.id, p.name from tenant t join plan p on p.id = t.plan_id where t.id = ?::bigint for update of t
         ), changed as (
           update tenant t set plan_id = ? from previous where t.id = previous.id returning t.id
         ), audit as (${audited.sql} returning 1)
         select previous.name as previous_plan from previous`,
        [tenantId, plan.id, ...audited.params],
      );
      if (!changed) throw new NotFoundError('Tenant', tenantId);
      return { tenantId: toGlobalId('Tenant', tenantId), plan: planFromRow(plan), previousPlan: changed.previous_plan };
    });
  }

  private ownTenantOrNotFound(tenantId: number): number {
    if (tenantId !== this.deps.principal?.tenantId) throw new NotFoundError('Tenant', tenantId);
    return tenantId;
  }
}

/** Puts a tenant on a plan by slug, outside any request (demo seeding); no audit row. */
export async function assignPlanBySlug(em: EntityManager, slug: string, planName: string): Promise<void> {
  await em
    .getConnection()
    .execute('update tenant set plan_id = (select id from plan where name = ?) where slug = ?', [planName, slug]);
}
