import { createKeyv } from '@keyv/redis';
import Keyv from 'keyv';
import type { Logger } from '../logger';

/**
 * Read-through cache for hot reads (keyv: in memory, or Redis when a URL is given).
 * Values must be JSON-safe: the stores round-trip through JSON, so Dates come back as strings.
 */
export class Cache {
  constructor(
    private readonly keyv: Keyv,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** Returns the cached value for `key`, or loads, stores and returns it. */
  async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = await this.safely(() => this.keyv.get<T>(key));
    if (cached !== undefined && cached !== null) return cached;
    const value = await load();
    if (value !== undefined && value !== null) await this.safely(() => this.keyv.set(key, value, this.ttlMs));
    return value;
  }

  /** Forgets keys after a write; call after the transaction has committed. */
  async invalidate(...keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.safely(() => this.keyv.delete(key))));
  }

  async close(): Promise<void> {
    await this.keyv.disconnect();
  }

  // A cache outage must degrade to database reads, not fail requests.
  private async safely<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      this.logger.warn({ err: error }, 'cache operation failed');
      return undefined;
    }
  }
}

export function createCache(options: {
  redisUrl?: string;
  namespace: string;
  ttlSeconds: number;
  logger: Logger;
}): Cache {
  const keyv = options.redisUrl
    ? createKeyv(options.redisUrl, { namespace: options.namespace })
    : new Keyv({ namespace: options.namespace });
  keyv.on('error', (error: unknown) => options.logger.warn({ err: error }, 'cache error'));
  return new Cache(keyv, options.ttlSeconds * 1000, options.logger);
}

/** Cache keys, in one place so writers and readers agree. */
export const cacheKeys = {
  competitions: () => 'competitions:all',
  match: (id: number) => `match:${id}`,
};
