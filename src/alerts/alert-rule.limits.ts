import type { EntityManager } from '@mikro-orm/postgresql';
import { planOfTenant } from '../tenants/plan.service';

/** Alert rules a tenant may hold when no plan says otherwise (the default plan's number). */
export const DEFAULT_MAX_ALERT_RULES = 50;

/** How many alert rules the tenant may hold: its plan's `maxAlertRules`. */
export async function maxAlertRulesOf(em: EntityManager, tenantId: number): Promise<number> {
  return (await planOfTenant(em, tenantId))?.maxAlertRules ?? DEFAULT_MAX_ALERT_RULES;
}
