import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The window of the per-minute quotas, in seconds. */
export const WINDOW_SECONDS = 60;

/** What a per-minute quota counts. */
export type RateKind = 'requests' | 'cost';

/** A quota that refused: how long until its window ends, and the plan's limit. */
export interface RateRefusal {
  kind: RateKind;
  limit: number;
  retryAfterSeconds: number;
}

/**
 * Per-minute counters of each tenant (rate-limiter-flexible): in Redis when a client is given,
 * so every instance sharing it counts together (one atomic Lua `INCRBY` + expiry per consume),
 * else in this process. A window is fixed: it opens with a tenant's first operation and lasts
 * `WINDOW_SECONDS` (so at most twice the limit can pass within a minute that spans two windows;
 * a sliding window would cost a sorted-set write per operation instead of one counter).
 * While Redis is unreachable each instance counts in memory (the limiter's insurance), so
 * the API stays up with per-instance quotas rather than none or none served.
 */
export class RateLimits {
  // One limiter per kind and limit value: plans differ only in the threshold, and limiters
  // with one key prefix share the Redis counter, so changing a tenant's plan keeps its count
  // (in memory each limiter counts apart: a plan change starts the window's count afresh).
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly options: { redis: Redis | null; keyPrefix: string }) {}

  /**
   * Counts `points` (1 for a request, the cost estimate for cost) against the tenant's quota of
   * `limit` per window; resolves to the refusal when that passes the limit (the points stay
   * counted: a client retrying at once only prolongs its wait).
   */
  async consume(kind: RateKind, tenantId: number, points: number, limit: number): Promise<RateRefusal | null> {
    if (points <= 0) return null;
    try {
      await this.limiter(kind, limit).consume(tenantId, points);
      return null;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { kind, limit, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }

  private limiter(kind: RateKind, limit: number): RateLimiterAbstract {
    const id = `${kind}:${limit}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const keyPrefix = `${this.options.keyPrefix}:${kind}`;
      const common = { keyPrefix, points: limit, duration: WINDOW_SECONDS };
      limiter = this.options.redis
        ? new RateLimiterRedis({
            ...common,
            storeClient: this.options.redis,
            // A refused tenant is refused from memory until its window ends: a client hammering
            // past its quota costs no Redis round trip.
            inMemoryBlockOnConsumed: limit + 1,
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(common),
          })
        : new RateLimiterMemory(common);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
