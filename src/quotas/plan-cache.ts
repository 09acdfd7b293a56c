import { LRUCache } from 'lru-cache';
import type { PlanType } from '../tenants/plan.types';

/** How long a process trusts a tenant's plan it read; changes through the API apply at once. */
export const PLAN_CACHE_TTL_MS = 30_000;
const MAX_TENANTS = 10_000;

/**
 * Tenants' plans, kept `PLAN_CACHE_TTL_MS`: they come with the principal when an API key is read
 * (`remember`), else from one statement per tenant per lifetime (`get`), never per request.
 * `forget` (on `setTenantPlan`, announced to every instance) drops one at once; a load that
 * raced it is not kept.
 */
export class PlanCache {
  private readonly plans: LRUCache<number, Promise<PlanType>>;
  private generation = 0;

  constructor(
    private readonly load: (tenantId: number) => Promise<PlanType | null>,
    ttlMs = PLAN_CACHE_TTL_MS,
  ) {
    this.plans = new LRUCache({ max: MAX_TENANTS, ttl: ttlMs });
  }

  get(tenantId: number): Promise<PlanType> {
    const cached = this.plans.get(tenantId);
    if (cached) return cached;
    const generation = this.generation;
    const loading = this.load(tenantId).then((plan) => {
      if (!plan) throw new Error(`tenant ${tenantId} has no plan`);
      return plan;
    });
    // Concurrent requests of a tenant share one read.
    this.plans.set(tenantId, loading);
    loading.then(
      () => {
        if (generation !== this.generation && this.plans.get(tenantId) === loading) this.plans.delete(tenantId);
      },
      () => {
        if (this.plans.get(tenantId) === loading) this.plans.delete(tenantId);
      },
    );
    return loading;
  }

  /** Changes so far: a plan read begun before one may be stale (see `remember`). */
  get changes(): number {
    return this.generation;
  }

  /** Keeps a plan read elsewhere (with the caller's API key), unless a change came since `changesBefore`. */
  remember(tenantId: number, plan: PlanType, changesBefore: number): void {
    if (changesBefore === this.generation) this.plans.set(tenantId, Promise.resolve(plan));
  }

  forget(tenantId: number): void {
    this.generation += 1;
    this.plans.delete(tenantId);
  }
}
