import { randomUUID } from 'node:crypto';
import { createKeyv } from '@keyv/redis';
import Keyv from 'keyv';
import type { Logger } from '../logger';

/** How long a cache call may take before the request goes on without the cache. */
const OPERATION_TIMEOUT_MS = 250;

/**
 * Read-through cache for hot reads (keyv: in memory, or Redis when a URL is given).
 * Values must be JSON-safe: the stores round-trip through JSON, so Dates come back as strings.
 * A cache outage degrades to database reads: every call gives up after a short timeout.
 */
export class Cache {
  constructor(
    private readonly keyv: Keyv,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly stats?: CacheStats,
  ) {}

  /** Returns the cached value for `key`, or loads, stores and returns it. */
  async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = await this.safely(() => this.keyv.get<T>(key));
    if (cached !== undefined && cached !== null) {
      this.stats?.hit();
      return cached;
    }
    this.stats?.miss();
    // A write may commit and invalidate while we load: then our value may be stale, so it is
    // only stored if the key's generation is still the one seen before loading.
    const generation = await this.safely(() => this.keyv.get<string>(generationKey(key)));
    const value = await load();
    if (value === undefined || value === null) return value;
    const unchanged = (await this.safely(() => this.keyv.get<string>(generationKey(key)))) === generation;
    if (unchanged) await this.safely(() => this.keyv.set(key, value, this.ttlMs));
    return value;
  }

  /** Forgets keys after a write; call after the transaction has committed. */
  async invalidate(...keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        await this.safely(() => this.keyv.set(generationKey(key), randomUUID(), this.ttlMs * 2));
        await this.safely(() => this.keyv.delete(key));
      }),
    );
  }

  /** A round trip to Redis (connecting first if needed); nothing to check in memory. Throws when it fails. */
  async ping(): Promise<void> {
    const store = this.keyv.store as Partial<RedisStore>;
    if (typeof store.getClient !== 'function') return;
    const client = await store.getClient();
    await client.ping();
  }

  async close(): Promise<void> {
    await this.safely(() => this.keyv.disconnect());
  }

  private async safely<T>(operation: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn({ timeoutMs: OPERATION_TIMEOUT_MS }, 'cache operation timed out');
        resolve(undefined);
      }, OPERATION_TIMEOUT_MS);
    });
    try {
      return await Promise.race([operation(), timeout]);
    } catch (error) {
      this.logger.warn({ err: error }, 'cache operation failed');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Counts lookups (metrics); the caches call it once per lookup. */
export interface CacheStats {
  hit(): void;
  miss(): void;
}

// What `ping` needs of @keyv/redis's store.
interface RedisStore {
  getClient(): Promise<{ ping(): Promise<unknown> }>;
}

function generationKey(key: string): string {
  return `generation:${key}`;
}

export function createCache(options: {
  redisUrl?: string;
  namespace: string;
  ttlSeconds: number;
  logger: Logger;
  stats?: CacheStats;
}): Cache {
  const keyv = options.redisUrl
    ? createKeyv(options.redisUrl, { namespace: options.namespace })
    : new Keyv({ namespace: options.namespace });
  keyv.on('error', (error: unknown) => options.logger.warn({ err: error }, 'cache error'));
  return new Cache(keyv, options.ttlSeconds * 1000, options.logger, options.stats);
}

/** Cache keys, in one place so writers and readers agree. */
export const cacheKeys = {
  competitions: () => 'competitions:all',
  match: (id: number) => `match:${id}`,
  /** A webhook source's secret: read on every signed post. */
  ingestSourceSecret: (name: string) => `ingest-source-secret:${name}`,
};
