import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { HTTP_STATUS_OF_CODE } from '../errors';

/** The media types of GraphQL responses, preferred one first when a client accepts both equally. */
export const GRAPHQL_RESPONSE_TYPES = ['application/json', 'application/graphql-response+json'] as const;

/**
 * Status codes of the GraphQL-over-HTTP spec, whichever of its media types the client accepts:
 * a request refused as a whole (no `data`: unparsable, invalid, over a limit, unauthenticated
 * introspection) gets the 4xx of its code (`HTTP_STATUS_OF_CODE`), only unexpected errors 500;
 * a response with `data`, even null with field errors, is 200, except a null `data` for want of
 * the database (SERVICE_UNAVAILABLE): 503 with `Retry-After`, so clients and proxies retry.
 * Apollo answers errors thrown by plugins with 500 unless told otherwise; this tells it.
 */
export const statusCodesOfGraphqlOverHttp: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (!errors?.length || data) return;
        // Nothing was answered for want of the database: say so, with when to retry.
        const unavailable = errors.find((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
        if (unavailable) return answerUnavailable(response.http, unavailable);
        if (data !== undefined) return;
        // An explicit status (405 for a mutation over GET, 400 set by a plugin) stands.
        if (response.http.status !== undefined && response.http.status !== 500) return;
        response.http.status = statusOf(errors);
        if (response.http.status === 401) response.http.headers.set('www-authenticate', WWW_AUTHENTICATE);
      },
    };
  },
};

function answerUnavailable(http: { status?: number; headers: Map<string, string> }, error: GraphQLFormattedError) {
  http.status = 503;
  const retryAfter = error.extensions?.retryAfter;
  if (typeof retryAfter === 'number') http.headers.set('retry-after', String(retryAfter));
}

/** What a 401 asks for (RFC 9110 requires the header): a key in `x-api-key` or as a bearer token. */
export const WWW_AUTHENTICATE = 'Bearer realm="matchcast"';

/** The status of a response made only of these errors: the worst server error, else the first error's. */
export function statusOf(errors: readonly GraphQLFormattedError[]): number {
  const statuses = errors.map((error) => {
    const code = error.extensions?.code;
    return typeof code === 'string' && code in HTTP_STATUS_OF_CODE
      ? HTTP_STATUS_OF_CODE[code as keyof typeof HTTP_STATUS_OF_CODE]
      : 500;
  });
  return statuses.find((status) => status >= 500) ?? statuses[0] ?? 500;
}
