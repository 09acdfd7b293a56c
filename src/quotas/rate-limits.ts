import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The window of the per-minute quotas, in seconds. */
export const WINDOW_SECONDS = 60;
const WINDOW_MS = WINDOW_SECONDS * 1000;

/** What a per-minute quota counts. */
export type RateKind = 'requests' | 'cost';

/** A quota that refused: how long until its window ends, and the plan's limit. */
export interface RateRefusal {
  kind: RateKind;
  limit: number;
  retryAfterSeconds: number;
}

// The counters never refuse by themselves: the sliding window below decides.
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/**
 * Per-minute quotas of each tenant as a sliding window: the count of the current minute (aligned
 * to the clock) plus the previous minute's, weighted by how much of it still lies within the
 * last 60 s. A burst across a minute's boundary is then held to the limit, where a fixed window
 * would let twice the limit through. The counters are rate-limiter-flexible's, in Redis when a
 * client is given (one atomic Lua `INCRBY` with expiry per consume, and a read of the previous
 * minute's counter alongside), so every instance sharing it counts together; else in this
 * process. While Redis is unreachable each instance counts in memory (the limiter's insurance),
 * so the API stays up with per-instance quotas rather than none.
 */
export class RateLimits {
  private readonly counters = new Map<RateKind, RateLimiterAbstract>();
  private readonly now: () => number;

  constructor(private readonly options: { redis: Redis | null; keyPrefix: string; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts `points` (1 for a request, the cost estimate for cost) against the tenant's quota of
   * `limit` per minute; resolves to the refusal when that passes the limit (the points stay
   * counted: a client retrying at once only prolongs its wait).
   */
  async consume(kind: RateKind, tenantId: number, points: number, limit: number): Promise<RateRefusal | null> {
    if (points <= 0) return null;
    const now = this.now();
    const minute = Math.floor(now / WINDOW_MS);
    const counter = this.counter(kind);
    const [current, previous] = await Promise.all([
      counter.consume(`${tenantId}:${minute}`, points),
      counter.get(`${tenantId}:${minute - 1}`),
    ]);
    const elapsed = (now - minute * WINDOW_MS) / WINDOW_MS;
    const counted = current.consumedPoints;
    const earlier = previous?.consumedPoints ?? 0;
    if (earlier * (1 - elapsed) + counted <= limit) return null;
    return { kind, limit, retryAfterSeconds: secondsUntilWithin(limit, counted, earlier, elapsed) };
  }

  private counter(kind: RateKind): RateLimiterAbstract {
    let counter = this.counters.get(kind);
    if (!counter) {
      // Two minutes: a minute's counter is still read as the previous one during the next.
      const common = {
        keyPrefix: `${this.options.keyPrefix}:${kind}`,
        points: UNLIMITED,
        duration: 2 * WINDOW_SECONDS,
      };
      counter = this.options.redis
        ? new RateLimiterRedis({
            ...common,
            storeClient: this.options.redis,
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(common),
          })
        : new RateLimiterMemory(common);
      this.counters.set(kind, counter);
    }
    return counter;
  }
}

/**
 * Seconds until the window's estimate falls back within the limit, if nothing more is counted:
 * the previous minute's weight shrinks through this minute, then this minute's through the next.
 */
export function secondsUntilWithin(limit: number, counted: number, earlier: number, elapsed: number): number {
  let waitWindows: number;
  if (counted <= limit) {
    // earlier × (1 − e) + counted ≤ limit from e = 1 − (limit − counted) / earlier on.
    waitWindows = 1 - (limit - counted) / earlier - elapsed;
  } else {
    // Next minute: counted × (1 − e) ≤ limit from e = 1 − limit / counted on.
    waitWindows = 1 - elapsed + (1 - limit / counted);
  }
  // Less a hair: 20.000000000000004 s is 20 s.
  return Math.max(1, Math.ceil(waitWindows * WINDOW_SECONDS - 1e-9));
}
