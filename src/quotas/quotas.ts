import type { OperationDefinitionNode } from 'graphql';
import Redis from 'ioredis';
import type { Principal } from '../auth/principal';
import type { Orm } from '../db/orm';
import { RateLimitedError } from '../errors';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import { OperationType, operationTypeOf } from '../tenants/operation-type';
import { planOfTenant } from '../tenants/plan.service';
import type { PlanType } from '../tenants/plan.types';
import { Leases, type Lease } from './leases';
import { operationCost } from './operation-cost';
import { PlanCache } from './plan-cache';
import { RateLimits, type RateRefusal } from './rate-limits';
import { UsageRecorder } from './usage-recorder';

/** Suggested wait after a concurrency refusal: places free up when the client closes something. */
const CONCURRENCY_RETRY_AFTER_SECONDS = 5;
/** How long start-up waits for Redis before counting in memory until it comes. */
const REDIS_READY_TIMEOUT_MS = 5000;

export interface QuotaOptions {
  orm: Orm;
  pubSub: AppPubSub;
  logger: Logger;
  /** Counters are shared through this Redis; unset: in this process. */
  redisUrl?: string;
  /** Prefix of the Redis keys (REDIS_NAMESPACE). */
  namespace: string;
  /** Told about each admitted operation and each refusal (Prometheus metrics). */
  metrics?: QuotaMetrics;
}

export interface QuotaMetrics {
  operationAdmitted(tenantSlug: string, type: 'query' | 'mutation' | 'subscription'): void;
  rateLimited(plan: string, quota: 'requests' | 'cost' | 'subscriptions'): void;
}

/**
 * The plan of each tenant, enforced: requests and query cost per minute (`admit`), subscriptions
 * per tenant and sockets per API key (`acquire…`), and usage counted by day and type. Per
 * request this is an in-memory plan lookup (plans come with the API key's principal, see
 * `rememberPlan`), two counter updates (in memory, or one Redis round trip each, sent together)
 * and an in-memory usage increment: no SQL.
 */
export class Quotas {
  readonly usage: UsageRecorder;
  private readonly plans: PlanCache;
  private readonly rates: RateLimits;
  private readonly leases: Leases;
  private readonly stopForgetting: () => void;

  constructor(
    private readonly options: QuotaOptions,
    private readonly redis: Redis | null,
  ) {
    const keyPrefix = `${options.namespace}:quota`;
    this.plans = new PlanCache((tenantId) => planOfTenant(options.orm.em.fork(), tenantId));
    this.rates = new RateLimits({ redis, keyPrefix });
    this.leases = new Leases({ redis, keyPrefix, logger: options.logger });
    this.usage = new UsageRecorder({ knex: () => options.orm.em.getConnection().getKnex(), logger: options.logger });
    const plans = this.plans;
    const changes = options.pubSub.subscribe(Topic.TENANT_PLAN_CHANGED);
    void (async () => {
      for await (const { tenantId } of changes) plans.forget(tenantId);
    })();
    this.stopForgetting = () => void changes.return?.();
  }

  /** The tenant's plan (cached; see `PlanCache`). */
  plan(tenantId: number): Promise<PlanType> {
    return this.plans.get(tenantId);
  }

  /** Plan changes seen so far; pass to `rememberPlan` for a plan read after this. */
  get planChanges(): number {
    return this.plans.changes;
  }

  /** A plan read with the principal (one statement for both): no read of its own is needed. */
  rememberPlan(tenantId: number, plan: PlanType, changesBefore: number): void {
    this.plans.remember(tenantId, plan, changesBefore);
  }

  /**
   * Counts one operation against the caller's per-minute quotas and its usage; throws
   * RateLimitedError (nothing runs) when a quota is used up.
   */
  async admit(principal: Principal, operation: OperationDefinitionNode): Promise<void> {
    await this.admitCounted(principal, operation.operation, operationCost(operation));
  }

  /**
   * A webhook post (`/ingest/events`, `/ingest/odds`, `/ingest/corrections`): counted as the mutation it stands for,
   * one request of cost 1, against the same quotas and usage as GraphQL operations.
   */
  admitWebhook(principal: Principal): Promise<void> {
    return this.admitCounted(principal, 'mutation', 1);
  }

  private async admitCounted(
    principal: Principal,
    operation: 'query' | 'mutation' | 'subscription',
    cost: number,
  ): Promise<void> {
    const { tenantId } = principal;
    const plan = await this.plans.get(tenantId);
    const type = operationTypeOf(operation);
    const [requests, costs] = await Promise.all([
      this.rates.consume('requests', tenantId, 1, plan.requestsPerMinute),
      this.rates.consume('cost', tenantId, cost, plan.queryCostPerMinute),
    ]);
    const refusal = requests ?? costs;
    if (refusal) {
      this.usage.recordRefusal(tenantId, type);
      this.options.metrics?.rateLimited(plan.name, refusal.kind);
      throw rateLimited(refusal, costs);
    }
    this.usage.record(tenantId, type, cost);
    this.options.metrics?.operationAdmitted(principal.tenantSlug, operation);
  }

  /** A place for one more subscription of the caller's tenant; RateLimitedError when none is left. */
  async acquireSubscription(principal: Principal): Promise<Lease> {
    const plan = await this.plans.get(principal.tenantId);
    const lease = await this.leases.acquire(`subscriptions:${principal.tenantId}`, plan.maxSubscriptions);
    if (lease) return lease;
    this.usage.recordRefusal(principal.tenantId, OperationType.SUBSCRIPTION);
    this.options.metrics?.rateLimited(plan.name, 'subscriptions');
    throw new RateLimitedError(
      `Your plan allows ${plan.maxSubscriptions} subscriptions at once; complete one first`,
      CONCURRENCY_RETRY_AFTER_SECONDS,
      plan.maxSubscriptions,
    );
  }

  /** A place for one more WebSocket of the caller's API key, or null when its plan's are taken. */
  async acquireSocket(principal: Principal): Promise<Lease | null> {
    const plan = await this.plans.get(principal.tenantId);
    return this.leases.acquire(`sockets:${principal.credential}`, plan.maxSocketsPerKey);
  }

  /** After a plan change committed: every instance reads the tenant's plan again. */
  planChanged(tenantId: number): void {
    this.plans.forget(tenantId);
    this.options.pubSub.publish(Topic.TENANT_PLAN_CHANGED, { tenantId });
  }

  async close(): Promise<void> {
    this.stopForgetting();
    this.leases.close();
    await this.usage.close();
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

function rateLimited(refusal: RateRefusal, costs: RateRefusal | null): RateLimitedError {
  // Both used up: the client must wait for the later window.
  const retryAfter = Math.max(refusal.retryAfterSeconds, costs?.retryAfterSeconds ?? 0);
  const message =
    refusal.kind === 'requests'
      ? `Your plan allows ${refusal.limit} requests per minute; retry in ${retryAfter} s`
      : `Your plan allows a query cost of ${refusal.limit} per minute; retry in ${retryAfter} s`;
  return new RateLimitedError(message, retryAfter, refusal.limit);
}

/** Quotas on their own Redis connection (when configured), once it is ready or start-up waited enough. */
export async function createQuotas(options: QuotaOptions): Promise<Quotas> {
  if (!options.redisUrl) return new Quotas(options, null);
  // No offline queue: while Redis is away, counting falls back to memory at once instead of queueing.
  // Not auto-pipelined: it waits a tick to batch, which made an operation's two counters slower.
  const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => options.logger.warn({ err: error }, 'quota Redis error'));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      options.logger.warn('Redis not ready: quotas count in memory until it is');
      resolve();
    }, REDIS_READY_TIMEOUT_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return new Quotas(options, redis);
}
