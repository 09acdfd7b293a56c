import { randomUUID } from 'node:crypto';
import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import type { CacheStats } from './cache';

/** How many responses are kept (by operation and variables). */
const MAX_RESPONSES = 1000;
/** Bytes of JSON the kept responses (and their keys) may take in all, and one at most. */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** A shared-data query as planned: what a response served before Apollo's pipeline needs of it. */
export interface SharedQuery {
  /** The parsed document (the deprecated members it uses are counted per cached answer too). */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Its answer depends on the caller's tenant too (see `readsPerTenantFields`). */
  perTenant: boolean;
}

interface CachedResponse {
  result: GatewayExecutionResult;
  /** The HTTP body Apollo makes of it: served as is by `cachedResponses`, never stringified again. */
  body: string;
}

/** The key of one response: the document, operation and variables, and the tenant when it matters. */
export function responseKey(
  tenantId: number | null,
  operationName: string | null | undefined,
  variables: unknown,
  query: string,
): string {
  return `${tenantId ?? ''}:${operationName ?? ''}:${JSON.stringify(variables ?? {})}:${query}`;
}

/**
 * Whole responses of shared-data queries, in this process. Every write to shared data clears
 * it (on every instance, through pub/sub); the TTL bounds staleness should a clear be missed.
 * Only responses without errors are kept. Concurrent misses of one key run the operation once.
 */
export class ResponseCache {
  private readonly responses: LRUCache<string, CachedResponse>;
  /** Documents planned as shared-data queries, by operation name and text. */
  private readonly sharedQueries = new LRUCache<string, SharedQuery>({ max: MAX_RESPONSES });
  private readonly inFlight = new Map<string, Promise<GatewayExecutionResult>>();
  // A response computed across a clear may hold old data: it is returned but not kept.
  private generation = 0;
  /** Tells this cache's own announcements from other instances'. */
  readonly origin = randomUUID();

  constructor(
    ttlMs: number,
    private readonly stats?: CacheStats,
  ) {
    this.responses = new LRUCache({ max: MAX_RESPONSES, maxSize: MAX_BYTES, ttl: ttlMs });
  }

  async getOrExecute(key: string, execute: () => Promise<GatewayExecutionResult>): Promise<GatewayExecutionResult> {
    const cached = this.responses.get(key);
    if (cached) {
      this.stats?.hit();
      return cached.result;
    }
    const pending = this.inFlight.get(key);
    // Served by a run already going: a hit, since this request runs nothing.
    if (pending) {
      this.stats?.hit();
      return pending;
    }
    this.stats?.miss();
    const generation = this.generation;
    const running = execute().finally(() => {
      // A clear may have let a newer run of this key start meanwhile: that one stays.
      if (this.inFlight.get(key) === running) this.inFlight.delete(key);
    });
    this.inFlight.set(key, running);
    const result = await running;
    if (!result.errors && generation === this.generation) this.keep(key, result);
    return result;
  }

  /** The HTTP body of a kept response; undefined (a miss) when there is none. */
  bodyOf(key: string): string | undefined {
    const body = this.responses.get(key)?.body;
    if (body !== undefined) this.stats?.hit();
    return body;
  }

  /** Notes that a document reads shared data only (the gateway's plan), so its answers may be served early. */
  rememberSharedQuery(operationName: string | null | undefined, query: string, plan: SharedQuery): void {
    this.sharedQueries.set(`${operationName ?? ''}\n${query}`, plan);
  }

  sharedQuery(operationName: string | null | undefined, query: string): SharedQuery | undefined {
    return this.sharedQueries.get(`${operationName ?? ''}\n${query}`);
  }

  // Sized by JSON length, so many large pages (or padded variables in keys) cannot fill memory.
  // The body is Apollo's: its fields in Apollo's order, and a newline.
  private keep(key: string, result: GatewayExecutionResult): void {
    const body = `${JSON.stringify({ data: result.data, extensions: result.extensions })}\n`;
    const size = key.length + 2 * body.length;
    if (size <= MAX_RESPONSE_BYTES) this.responses.set(key, { result, body }, { size });
  }

  /** Forgets every response; call after shared data changed. */
  clear(): void {
    this.generation += 1;
    this.responses.clear();
    this.inFlight.clear();
  }

  get size(): number {
    return this.responses.size;
  }
}

/**
 * After a write to platform data: drops this process's cached responses at once (so its next
 * read cannot be stale) and tells every other instance to do the same.
 */
export function announceSharedDataChange(responseCache: ResponseCache | null, pubSub: AppPubSub): void {
  responseCache?.clear();
  pubSub.publish(Topic.SHARED_DATA_CHANGED, { origin: responseCache?.origin ?? 'elsewhere' });
}

/** Clears the cache whenever another instance announces a change; returns a stop function. */
export function clearOnRemoteChanges(responseCache: ResponseCache, pubSub: AppPubSub): () => void {
  const changes = pubSub.subscribe(Topic.SHARED_DATA_CHANGED);
  void (async () => {
    for await (const change of changes) if (change.origin !== responseCache.origin) responseCache.clear();
  })();
  return () => void changes.return?.();
}
