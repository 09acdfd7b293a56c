import { LRUCache } from 'lru-cache';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import type { CacheStats } from '../cache/cache';
import type { PlanType } from '../tenants/plan.types';
import type { Principal } from './principal';

/** How many API keys and tokens are remembered. */
const MAX_KEYS = 10_000;

export interface CachedPrincipal {
  principal: Principal;
  /** When the key or token expires (ms since the epoch), if it does. */
  expiresAt: number | null;
  /** The tenant's plan, read in the same statement (see `Quotas.rememberPlan`). */
  plan?: PlanType;
}

/**
 * Principals of recently used API keys and JWTs (by hash), so a request does not read the
 * member from the database (or verify the token) every time. A revoked key or removed member is
 * forgotten at once on every instance (see `forget`), an expired one on its next use. Should the
 * revocation's pub/sub message be lost, an entry still lives at most `ttlMs` from when it was
 * read: using it does not extend it, and a stale one is never answered.
 */
export class PrincipalCache {
  private readonly byKeyHash: LRUCache<string, CachedPrincipal>;
  private revocationCount = 0;

  constructor(
    ttlMs: number,
    private readonly stats?: CacheStats,
  ) {
    // lru-cache's defaults, spelled out: they are what bounds a lost revocation.
    this.byKeyHash = new LRUCache({ max: MAX_KEYS, ttl: ttlMs, updateAgeOnGet: false, allowStale: false });
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

  /** Forgets the principals of credentials (keys revoked, members removed or changed). */
  forget(credentials: readonly string[]): void {
    this.revocationCount += 1;
    const forgotten = new Set(credentials);
    for (const [hash, entry] of this.byKeyHash.entries()) {
      if (forgotten.has(entry.principal.credential)) this.byKeyHash.delete(hash);
    }
  }

  /** Forgets every principal: revocations may have been missed (the pub/sub reconnected). */
  clear(): void {
    this.revocationCount += 1;
    this.byKeyHash.clear();
  }
}

/**
 * After keys were revoked or members removed (and committed): forgets them here at once and on
 * every other instance, whose sockets of these credentials close too.
 */
export function announceCredentialsRevoked(
  principals: PrincipalCache | null,
  pubSub: AppPubSub,
  credentials: string[],
): void {
  if (credentials.length === 0) return;
  principals?.forget(credentials);
  pubSub.publish(Topic.CREDENTIALS_REVOKED, { credentials });
}

/**
 * Forgets credentials that any instance announces as revoked, and everything each time the
 * pub/sub's subscriber (re)connects, as announcements sent meanwhile were lost; returns a stop function.
 */
export function forgetRevokedCredentials(
  principals: PrincipalCache,
  pubSub: AppPubSub,
  onSubscriberReady: (listener: () => void) => () => void,
): () => void {
  const revocations = pubSub.subscribe(Topic.CREDENTIALS_REVOKED);
  void (async () => {
    for await (const { credentials } of revocations) principals.forget(credentials);
  })();
  const stopClearing = onSubscriberReady(() => principals.clear());
  return () => {
    stopClearing();
    void revocations.return?.();
  };
}
