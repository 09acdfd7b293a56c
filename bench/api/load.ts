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
): Promise<LoadResult> {
  let graphqlErrors = 0;
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
  };
}
