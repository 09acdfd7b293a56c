import type { ApolloServerPlugin } from '@apollo/server';
import type { AppContext } from '../context';
import { RateLimitedError } from '../errors';
import type { Quotas } from './quotas';

/**
 * The plan's per-minute quotas on HTTP operations, once the operation is known (its cost was
 * estimated during validation): a refused request is answered 429 with `Retry-After` and a
 * RATE_LIMITED error, and runs nothing. Requests without a member (no or a bad key) are refused
 * by the permissions and counted for no tenant.
 */
export function quotasOverHttp(quotas: Quotas): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, response }) {
          // Subscriptions are refused over HTTP (see rejectSubscriptionsOverHttp).
          if (!contextValue.principal || !operation || operation.operation === 'subscription') return;
          try {
            // Refused and counted already by `cachedResponses`: answered here, not counted again.
            if (contextValue.quotaRefusal) throw contextValue.quotaRefusal;
            await quotas.admit(contextValue.principal, operation);
          } catch (error) {
            if (error instanceof RateLimitedError) {
              response.http.status = 429;
              response.http.headers.set('retry-after', String(error.retryAfter));
            }
            throw error;
          }
        },
      };
    },
  };
}
