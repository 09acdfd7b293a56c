import { LRUCache } from 'lru-cache';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import type { CacheStats } from '../cache/cache';
import type { PlanType } from '../tenants/plan.types';
import type { Principal } from './principal';

/** How many API keys are remembered. */
const MAX_KEYS = 10_000;

export interface CachedPrincipal {
  principal: Principal;
  /** When the key expires (ms since the epoch), if it does. */
  expiresAt: number | null;
  /** The tenant's plan, read in the same statement (see `Quotas.rememberPlan`). */
  plan?: PlanType;
}

/**
 * Principals of recently used API keys (by key hash), so a request does not read the key's
 * member from the database every time. Short-lived; a revoked key is forgotten at once on
 * every instance (see `forgetApiKey`), an expired one on its next use.
 */
export class PrincipalCache {
  private readonly byKeyHash: LRUCache<string, CachedPrincipal>;
  private revocationCount = 0;

  constructor(
    ttlMs: number,
    private readonly stats?: CacheStats,
  ) {
    this.byKeyHash = new LRUCache({ max: MAX_KEYS, ttl: ttlMs });
  }

  get(keyHash: string, now = Date.now()): Principal | undefined {
    const cached = this.byKeyHash.get(keyHash);
    if (cached?.expiresAt !== undefined && cached.expiresAt !== null && cached.expiresAt <= now) {
      this.byKeyHash.delete(keyHash);
      this.stats?.miss();
      return undefined;
    }
    if (cached) this.stats?.hit();
    else this.stats?.miss();
    return cached?.principal;
  }

  /** Counts revocations: a lookup begun before one may have read a key revoked since. */
  get revocations(): number {
    return this.revocationCount;
  }

  /** Remembers a principal read while `revocationsBefore` held; not if a revocation came since. */
  set(keyHash: string, entry: CachedPrincipal, revocationsBefore: number): void {
    if (revocationsBefore === this.revocationCount) this.byKeyHash.set(keyHash, entry);
  }

  /** Forgets a key (revoked, or its membership changed). */
  forgetApiKey(apiKeyId: number): void {
    this.revocationCount += 1;
    for (const [hash, entry] of this.byKeyHash.entries()) {
      if (entry.principal.apiKeyId === apiKeyId) this.byKeyHash.delete(hash);
    }
  }
}

/** After a key was revoked (and committed): forgets it here at once and on every other instance. */
export function announceApiKeyRevoked(principals: PrincipalCache | null, pubSub: AppPubSub, apiKeyId: number): void {
  principals?.forgetApiKey(apiKeyId);
  pubSub.publish(Topic.API_KEY_REVOKED, { apiKeyId });
}

/** Forgets keys that any instance announces as revoked; returns a stop function. */
export function forgetRevokedKeys(principals: PrincipalCache, pubSub: AppPubSub): () => void {
  const revocations = pubSub.subscribe(Topic.API_KEY_REVOKED);
  void (async () => {
    for await (const { apiKeyId } of revocations) principals.forgetApiKey(apiKeyId);
  })();
  return () => void revocations.return?.();
}
