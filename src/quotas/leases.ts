import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from '../logger';

/** How long a lease lives in Redis without renewal: what a crashed instance's leases linger. */
export const LEASE_MS = 30_000;
const RENEW_EVERY_MS = LEASE_MS / 3;
/** Leases renewed per Redis call. */
const RENEW_BATCH = 1000;

/** Something counted against a concurrency limit until released (idempotent). */
export interface Lease {
  release(): void;
}

// Drops expired leases, then adds one if fewer than the limit are held. Redis' clock is the
// only clock, so instances whose clocks differ agree on expiry.
const ACQUIRE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

// Pushes the expiry of leases still held (XX: never revives one released meanwhile).
const RENEW = `
local now = redis.call('TIME')
local expiry = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

interface LeaseScripts {
  quotaLeaseAcquire(key: string, limit: number, leaseMs: number, member: string): Promise<number>;
  quotaLeaseRenew(key: string, leaseMs: number, ...members: string[]): Promise<number>;
}

/**
 * Counts things held open at once (a tenant's subscriptions, a key's sockets) against a limit.
 * With Redis, every instance sharing it counts together: each holder is a member of a sorted
 * set scored by its expiry, renewed by its instance every `LEASE_MS / 3`, so the leases of an
 * instance that died expire within `LEASE_MS` instead of counting for ever. Without Redis, or
 * while it cannot be reached, the count is this process's alone.
 */
export class Leases {
  private readonly local = new Map<string, number>();
  /** Redis leases this process holds, by key: what the renewal refreshes. */
  private readonly held = new Map<string, Set<string>>();
  private readonly renewal: NodeJS.Timeout | null;
  private readonly instance = randomUUID();
  private sequence = 0;

  constructor(private readonly options: { redis: Redis | null; keyPrefix: string; logger: Logger }) {
    const redis = options.redis;
    if (redis) {
      redis.defineCommand('quotaLeaseAcquire', { numberOfKeys: 1, lua: ACQUIRE });
      redis.defineCommand('quotaLeaseRenew', { numberOfKeys: 1, lua: RENEW });
    }
    this.renewal = redis ? setInterval(() => void this.renew(), RENEW_EVERY_MS).unref() : null;
  }

  /** A lease on one of `limit` places under `key`, or null when all are taken. */
  async acquire(key: string, limit: number): Promise<Lease | null> {
    const redis = this.options.redis;
    if (redis?.status === 'ready') {
      const fullKey = `${this.options.keyPrefix}:${key}`;
      const member = `${this.instance}:${++this.sequence}`;
      try {
        const scripts = redis as unknown as LeaseScripts;
        if ((await scripts.quotaLeaseAcquire(fullKey, limit, LEASE_MS, member)) !== 1) return null;
        return this.redisLease(fullKey, member);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'quota lease in Redis failed: counting in this process');
      }
    }
    return this.localLease(key, limit);
  }

  close(): void {
    if (this.renewal) clearInterval(this.renewal);
  }

  private redisLease(key: string, member: string): Lease {
    let members = this.held.get(key);
    if (!members) this.held.set(key, (members = new Set()));
    members.add(member);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const set = this.held.get(key);
        set?.delete(member);
        if (set?.size === 0) this.held.delete(key);
        // Lost when Redis is away: the lease then expires on its own.
        this.options.redis!.zrem(key, member).catch(() => undefined);
      },
    };
  }

  private localLease(key: string, limit: number): Lease | null {
    const count = this.local.get(key) ?? 0;
    if (count >= limit) return null;
    this.local.set(key, count + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.local.get(key) ?? 1) - 1;
        if (left > 0) this.local.set(key, left);
        else this.local.delete(key);
      },
    };
  }

  private async renew(): Promise<void> {
    const scripts = this.options.redis as unknown as LeaseScripts;
    const calls: Promise<unknown>[] = [];
    for (const [key, members] of this.held) {
      const all = [...members];
      for (let i = 0; i < all.length; i += RENEW_BATCH) {
        const renewed = scripts.quotaLeaseRenew(key, LEASE_MS, ...all.slice(i, i + RENEW_BATCH));
        calls.push(
          renewed.catch((error: unknown) => {
            this.options.logger.warn({ err: error, key }, 'renewing quota leases in Redis failed');
          }),
        );
      }
    }
    await Promise.all(calls);
  }
}
