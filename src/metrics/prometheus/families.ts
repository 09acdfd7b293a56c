import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prefix of every family Matchcast defines (the default process metrics keep their own names). */
export const PREFIX = 'matchcast_';

/** Request latencies, in seconds: 5 ms to 10 s (the latency SLO's threshold, 0.25 s, is one). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Database batches, in seconds: they are smaller than whole requests. */
const BATCH_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Keys per DataLoader batch. */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/** Event to push lag, in seconds: a few ms in process, more through Redis or under load. */
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Model fits and refreshes take seconds. */
const FIT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Read when scraped: the gauges whose values are read rather than counted. */
export interface ScrapeCollectors {
  pool(this: Gauge): void;
  ready(this: Gauge): Promise<void>;
  /** Per pre-match model: live RPS (null without finished matches) and its backtest's. */
  predictionQuality(): Promise<ModelQuality[]>;
}

export interface ModelQuality {
  model: string;
  liveRps: number | null;
  liveMatches: number;
  backtestRps: number | null;
}

/** Every family Matchcast exports, registered on one (per-app) registry. */
export function createFamilies(registry: Registry, collectors: ScrapeCollectors) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name: PREFIX + name, help, labelNames, buckets, registers });
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect?: (this: Gauge<L>) => void | Promise<void>,
  ) => new Gauge<L>({ name: PREFIX + name, help, labelNames, registers, collect });

  return {
    operations: counter(
      'graphql_operations_total',
      'GraphQL operations over HTTP, by operation name (bounded) and type.',
      ['operation', 'type'],
    ),
    operationErrors: counter(
      'graphql_operation_errors_total',
      'GraphQL operations over HTTP that answered errors, by operation, type and extensions.code (each code once per operation).',
      ['operation', 'type', 'code'],
    ),
    operationDuration: histogram(
      'graphql_operation_duration_seconds',
      'GraphQL operation latency over HTTP, from the request parsed to the response ready, in seconds.',
      ['operation', 'type'],
      LATENCY_BUCKETS,
    ),
    deprecatedUsage: counter(
      'graphql_deprecated_usage_total',
      'GraphQL operations over HTTP that used a deprecated field, argument or enum value (`Type.field`, `Type.field(arg)`, `Enum.VALUE`), by operation name: when it stops rising, the member can go.',
      ['field', 'operation'],
    ),
    requestsShed: counter(
      'http_requests_shed_total',
      'GraphQL HTTP requests refused with 503 SERVICE_UNAVAILABLE before running, past MAX_IN_FLIGHT_REQUESTS.',
      [],
    ),
    rootFieldDuration: histogram(
      'graphql_root_field_duration_seconds',
      'Time of each root query or mutation field, nested fields included, in seconds.',
      ['field'],
      LATENCY_BUCKETS,
    ),
    tenantOperations: counter(
      'tenant_operations_total',
      'Operations admitted per tenant (HTTP and WebSocket), tenant slug for the first tenants seen, then other.',
      ['tenant', 'type'],
    ),
    rateLimited: counter(
      'rate_limited_total',
      'Operations and subscriptions refused with RATE_LIMITED, by plan and quota.',
      ['plan', 'quota'],
    ),
    loaderBatchSize: histogram(
      'dataloader_batch_size',
      'Keys per DataLoader batch (one SQL statement each), by loader.',
      ['loader'],
      BATCH_SIZE_BUCKETS,
    ),
    loaderBatchDuration: histogram(
      'dataloader_batch_duration_seconds',
      'Time of each DataLoader batch (its statement and row mapping), by loader, in seconds.',
      ['loader'],
      BATCH_BUCKETS,
    ),
    dbStatements: counter('db_statements_total', 'SQL statements sent to PostgreSQL, by kind.', ['kind']),
    // One (synchronous) collect fills the three pool gauges: the registry reads families in the
    // order they were registered, and this one comes first.
    dbPoolConnections: gauge(
      'db_pool_connections',
      'Pooled database connections by state (in_use, idle).',
      ['state'],
      collectors.pool as (this: Gauge) => void,
    ),
    dbPoolWaiting: gauge('db_pool_waiting', 'Requests waiting for a pooled database connection.', []),
    dbPoolMax: gauge('db_pool_max', 'Most connections the pool may open.', []),
    cacheRequests: counter('cache_requests_total', 'Cache lookups by cache and result (hit, miss).', [
      'cache',
      'result',
    ]),
    websocketConnections: gauge('websocket_connections', 'Open WebSockets accepted by the server.', []),
    websocketCloses: counter(
      'websocket_closes_total',
      'WebSockets closed, by close code (4008 slow consumer, 4029 too many sockets, 4403 refused key, 1001 going away, 1006 abnormal, …).',
      ['code'],
    ),
    subscriptionsActive: gauge('subscriptions_active', 'Subscriptions running, by root field.', ['field']),
    subscriptionsStarted: counter('subscriptions_started_total', 'Subscriptions started, by root field.', ['field']),
    matchEvents: counter(
      'match_events_total',
      'recordMatchEvent calls by outcome (recorded, duplicate, rejected) and event type.',
      ['outcome', 'type'],
    ),
    eventPushLag: histogram(
      'event_push_lag_seconds',
      'From a match event committed to its update written to the sockets of its subscribers, per event and subscription group, in seconds.',
      ['field'],
      LAG_BUCKETS,
    ),
    predictionRefreshDuration: histogram(
      'prediction_refresh_duration_seconds',
      'refreshPredictions: fitting the models and storing the predictions of a competition, in seconds.',
      [],
      FIT_BUCKETS,
    ),
    modelFitDuration: histogram(
      'prediction_model_fit_duration_seconds',
      'Fitting every pre-match model on the finished matches, in seconds.',
      [],
      FIT_BUCKETS,
    ),
    // Each awaits its own values: the registry reads families concurrently.
    predictionLiveRps: gauge(
      'prediction_live_rps',
      'Ranked probability score of stored pre-match predictions over the last finished matches, by model.',
      ['model'],
      qualityCollector(collectors, (q) => q.liveRps),
    ),
    predictionLiveMatches: gauge(
      'prediction_live_rps_matches',
      'Finished matches behind matchcast_prediction_live_rps, by model.',
      ['model'],
      qualityCollector(collectors, (q) => q.liveMatches),
    ),
    predictionBacktestRps: gauge(
      'prediction_backtest_rps',
      'Ranked probability score of the model version in the committed backtest, by model.',
      ['model'],
      qualityCollector(collectors, (q) => q.backtestRps),
    ),
    ready: gauge(
      'ready',
      '1 when the server can serve (database reachable), 0 otherwise; checked when scraped.',
      [],
      collectors.ready as (this: Gauge) => Promise<void>,
    ),
  };
}

export type Families = ReturnType<typeof createFamilies>;

function qualityCollector(collectors: ScrapeCollectors, valueOf: (quality: ModelQuality) => number | null) {
  return async function collect(this: Gauge<'model'>): Promise<void> {
    const qualities = await collectors.predictionQuality();
    this.reset();
    for (const quality of qualities) {
      const value = valueOf(quality);
      if (value !== null) this.set({ model: quality.model }, value);
    }
  };
}
