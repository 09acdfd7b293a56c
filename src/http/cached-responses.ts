import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import { responseKey, type ResponseCache } from '../cache/response-cache';
import { authenticate, type AppDependencies } from '../context';
import { RateLimitedError } from '../errors';
import { recordOperation } from '../metrics/prometheus';
import { logOperation } from './operation-log';
import { requestIdOf } from './request-id';

/** Where the quotas plugin finds a refusal already counted here (see `quotasOverHttp`). */
export const QUOTA_REFUSAL = 'quotaRefusal';
/** Where Apollo's context finds the caller already authenticated here, on a miss. */
export const AUTHENTICATION = 'authentication';

/**
 * Answers a repeated shared-data query from the body kept in the response cache, before Apollo's
 * pipeline: no parse, validation, execution or JSON.stringify of the response again (that
 * stringify alone was a quarter of the CPU of cached answers). It applies what Apollo's plugins
 * would: a member is required, the request counts against the plan's quotas, and it is counted
 * and logged as an operation. Anything else (a miss, a document not planned as shared, a
 * client that prefers `application/graphql-response+json`, a quota refusal) goes on to Apollo.
 */
export function cachedResponses(deps: AppDependencies, cache: ResponseCache): RequestHandler {
  return (req, res, next) => {
    answerFromCache(deps, cache, req, res).then(
      (answered) => answered || next(),
      // e.g. the database away while checking the key: Apollo's path answers it as it should.
      () => next(),
    );
  };
}

async function answerFromCache(
  deps: AppDependencies,
  cache: ResponseCache,
  req: Request,
  res: Response,
): Promise<boolean> {
  const started = performance.now();
  const body = req.body as { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
  if (req.method !== 'POST' || typeof body?.query !== 'string' || !acceptsPlainJson(req.headers.accept)) return false;
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  const shared = cache.sharedQuery(operationName, body.query);
  if (!shared) return false;
  const authentication = await authenticate(deps, req.headers);
  // A miss goes on to Apollo, whose context takes this rather than checking the key again.
  res.locals[AUTHENTICATION] = authentication;
  const { principal } = authentication;
  if (!principal) return false;
  const key = responseKey(shared.perTenant ? principal.tenantId : null, operationName, body.variables, body.query);
  const answer = cache.bodyOf(key);
  if (answer === undefined) return false;
  try {
    await deps.quotas.admit(principal, shared.operation);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    // Counted once: Apollo's path answers the refusal (429, Retry-After) without counting again.
    res.locals[QUOTA_REFUSAL] = error;
    return false;
  }
  res.status(200).setHeader('content-type', 'application/json; charset=utf-8');
  res.end(answer);
  if (deps.metrics) {
    recordOperation(deps.metrics, operationName, 'query', (performance.now() - started) / 1000, [], shared.document);
  }
  logOperation(deps.logger, {
    requestId: requestIdOf(req),
    transport: 'http',
    operationName,
    operationType: 'query',
    startedAt: started,
    errors: undefined,
    principal,
  });
  return true;
}

// Apollo answers `application/json` unless the client prefers the GraphQL response type.
function acceptsPlainJson(accept: string | undefined): boolean {
  if (!accept) return true;
  if (accept.includes('application/graphql-response+json')) return false;
  return accept.includes('application/json') || accept.includes('*/*');
}
