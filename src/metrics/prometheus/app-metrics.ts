import type { DocumentNode, GraphQLSchema } from 'graphql';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CacheStats } from '../../cache/cache';
import type { BatchObserver } from '../../db/batch';
import { BoundedLabel } from './bounded-label';
import { deprecatedUsageReader } from './deprecated-usage';
import { createFamilies, type Families, type ModelQuality } from './families';

/** Distinct operation names kept as label values; later names are counted as `other`. */
export const MAX_OPERATION_NAMES = 100;
/** Distinct tenant slugs kept as label values; later tenants are counted as `other`. */
export const MAX_TENANTS = 50;
/** The `tenant` label of every operation while tenants are not named (an open `/metrics`). */
export const HIDDEN_TENANT = 'hidden';
/** Plans are rows an operator adds: a bound all the same. */
const MAX_PLANS = 20;
/** extensions.code values are ours and the libraries' (a few dozen): a bound against surprises. */
const MAX_ERROR_CODES = 40;

export interface PoolUsage {
  inUse: number;
  idle: number;
  waiting: number;
  max: number;
}

/** What is read when scraped, set once the app has opened them (see `readFrom`). */
export interface MetricSources {
  pool?: () => PoolUsage | null;
  ready?: () => Promise<boolean>;
  predictionQuality?: () => Promise<ModelQuality[]>;
}

/**
 * One app's Prometheus metrics: its own registry (several apps in one process do not clash),
 * the families, and the hooks the rest of the code calls. Hooks only increment and observe;
 * values that can be read (pool, prediction quality) are read when scraped.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly families: Families;
  readonly operationNames = new BoundedLabel(MAX_OPERATION_NAMES);
  private readonly tenants = new BoundedLabel(MAX_TENANTS);
  private readonly plans = new BoundedLabel(MAX_PLANS);
  private readonly errorCodes = new BoundedLabel(MAX_ERROR_CODES);

  private sources: MetricSources = {};
  private readonly tenantLabels: boolean;

  /** @param options.tenantLabels name each tenant in `tenant` labels; false: all are `hidden`. */
  constructor(options: { tenantLabels: boolean }) {
    this.tenantLabels = options.tenantLabels;
    collectDefaultMetrics({ register: this.registry });
    const sources = () => this.sources;
    let families: Families | undefined;
    this.families = families = createFamilies(this.registry, {
      pool() {
        const usage = sources().pool?.();
        if (!usage || !families) return;
        this.set({ state: 'in_use' }, usage.inUse);
        this.set({ state: 'idle' }, usage.idle);
        families.dbPoolWaiting.set(usage.waiting);
        families.dbPoolMax.set(usage.max);
      },
      async ready() {
        const check = sources().ready;
        this.set(check ? Number(await check().catch(() => false)) : 0);
      },
      predictionQuality: async () => (await sources().predictionQuality?.()) ?? [],
    });
  }

  /** Where scrapes read the pool, readiness and prediction quality from. */
  readFrom(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** The exposition text of every family. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  errorCode(code: string): string {
    return this.errorCodes.of(code);
  }

  private deprecatedIn: ((document: DocumentNode) => readonly string[]) | null = null;

  /** The served schema, whose deprecated members `deprecatedUsed` looks for. */
  useSchema(schema: GraphQLSchema): void {
    this.deprecatedIn = deprecatedUsageReader(schema);
  }

  /**
   * Counts one operation (its label, as `operations` has it) per deprecated member its document
   * uses: over HTTP, over WebSocket and from the response cache alike (read once per document).
   */
  deprecatedUsed(document: DocumentNode, operation: string): void {
    for (const field of this.deprecatedIn?.(document) ?? []) this.families.deprecatedUsage.inc({ field, operation });
  }

  operationAdmitted(tenantSlug: string, type: string): void {
    const tenant = this.tenantLabels ? this.tenants.of(tenantSlug) : HIDDEN_TENANT;
    this.families.tenantOperations.inc({ tenant, type });
  }

  rateLimited(plan: string, quota: 'requests' | 'cost' | 'subscriptions'): void {
    this.families.rateLimited.inc({ plan: this.plans.of(plan), quota });
  }

  cacheStats(cache: 'principal' | 'response' | 'keyv'): CacheStats {
    const { cacheRequests } = this.families;
    // Bound once: a lookup then costs one increment.
    const hits = cacheRequests.labels(cache, 'hit');
    const misses = cacheRequests.labels(cache, 'miss');
    // Exported from the start, so a ratio over them is defined before the first lookup.
    hits.inc(0);
    misses.inc(0);
    return { hit: () => hits.inc(), miss: () => misses.inc() };
  }

  readonly batchObserved: BatchObserver = (loader, keys, seconds) => {
    this.families.loaderBatchSize.observe({ loader }, keys);
    this.families.loaderBatchDuration.observe({ loader }, seconds);
  };

  readonly eventRecorded = (outcome: 'recorded' | 'duplicate' | 'rejected', type: string): void => {
    this.families.matchEvents.inc({ outcome, type });
  };

  readonly predictionTimings = {
    refreshed: (seconds: number) => this.families.predictionRefreshDuration.observe(seconds),
    fitted: (seconds: number) => this.families.modelFitDuration.observe(seconds),
  };

  /** Counts a statement by its first keyword, so the label has a handful of values. */
  readonly statementRun = (sql: string): void => {
    this.families.dbStatements.inc({ kind: statementKind(sql) });
  };
}

const KINDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint']);

export function statementKind(sql: string): string {
  const match = /^\s*\(?\s*([a-z]+)/i.exec(sql);
  const word = match?.[1]?.toLowerCase() ?? '';
  if (KINDS.has(word)) return word;
  return word === 'release' ? 'savepoint' : 'other';
}
