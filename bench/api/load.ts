import autocannon from 'autocannon';
import type { HttpRequestSpec } from './scenarios';

export interface LoadResult {
  /** Successful answers (2xx without GraphQL `errors`) per second. */
  requestsPerSecond: number;
  /** Latencies of answered requests; null when none was answered within the run. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  /** Non-2xx answers, GraphQL `errors` and connection errors other than timeouts. */
  errors: number;
  timeouts: number;
  requests: number;
  durationSeconds: number;
}

/** A run's result with every answered request's latency, so that rounds can be merged. */
export interface LoadSlice extends LoadResult {
  ok: number;
  latenciesMs: number[];
}

/** Seconds after which a request counts as a timeout. */
const REQUEST_TIMEOUT_SECONDS = 10;
/** Slack beyond the planned duration before a run is stopped from outside. */
const RUN_GRACE_MS = REQUEST_TIMEOUT_SECONDS * 1000 + 10_000;

// A GraphQL answer with errors starts with them or carries them at the top level.
const hasGraphQLErrors = (body: string) => body.startsWith('{"errors"') || body.includes('"errors":[');

/** Closed-loop load: `connections` clients each send the request again as soon as it is answered. */
export async function runLoad(
  baseUrl: string,
  request: HttpRequestSpec,
  options: { connections: number; durationSeconds: number },
): Promise<LoadSlice> {
  let graphqlErrors = 0;
  const latenciesMs: number[] = [];
  let guard: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [
          {
            ...request,
            onResponse: (status: number, body: string) => {
              if (status >= 200 && status < 300 && hasGraphQLErrors(body)) graphqlErrors += 1;
            },
          },
        ],
      },
      (error: unknown, finished) => {
        clearTimeout(guard);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(finished);
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latenciesMs.push(responseTime);
    });
    guard = setTimeout(() => instance.stop(), options.durationSeconds * 1000 + RUN_GRACE_MS);
  });
  const connectionErrors = result.errors - result.timeouts;
  const ok = result['2xx'] - graphqlErrors;
  const answered = result.requests.total > 0;
  return {
    requestsPerSecond: ok / result.duration,
    p50Ms: answered ? result.latency.p50 : null,
    p90Ms: answered ? result.latency.p90 : null,
    p99Ms: answered ? result.latency.p99 : null,
    errors: result.non2xx + graphqlErrors + connectionErrors,
    timeouts: result.timeouts,
    requests: result.requests.total,
    durationSeconds: result.duration,
    ok,
    latenciesMs,
  };
}

/**
 * One result from several runs of the same point: throughput over their summed time, and the
 * percentiles of every latency (autocannon's, to the millisecond).
 */
export function mergeSlices(slices: LoadSlice[]): LoadResult {
  const sum = (of: (slice: LoadSlice) => number) => slices.reduce((total, slice) => total + of(slice), 0);
  const latencies = slices.flatMap((slice) => slice.latenciesMs).sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies.length === 0
      ? null
      : Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!);
  const durationSeconds = sum((slice) => slice.durationSeconds);
  return {
    requestsPerSecond: sum((slice) => slice.ok) / durationSeconds,
    p50Ms: percentile(0.5),
    p90Ms: percentile(0.9),
    p99Ms: percentile(0.99),
    errors: sum((slice) => slice.errors),
    timeouts: sum((slice) => slice.timeouts),
    requests: sum((slice) => slice.requests),
    durationSeconds,
  };
}
