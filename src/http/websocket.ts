import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  execute,
  getOperationAST,
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { makeServer, type OperationResult, type ServerOptions, type SubscribePayload } from 'graphql-ws';
import WebSocket, { WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal';
import type { WebSocketLimits } from '../config';
import { authenticate, createContext, type AppContext, type AppDependencies, type Authentication } from '../context';
import { createErrorFormatter, isAppError, LimitExceededError, UnauthenticatedError } from '../errors';
import { LiveSubscription } from '../live/live-subscription';
import { SubscriptionGroups, type Deliver } from '../live/subscription-groups';
import { recordDeprecatedUsage, recordOperation, subscriptionFieldOf, WebSocketMetrics } from '../metrics/prometheus';
import type { Lease } from '../quotas/leases';
import { WebSocketQuotas } from '../quotas/websocket-quotas';
import { credentialsStillHeld } from '../tenants/credential-recheck.service';
import { jitSubscriber } from './jit-subscriptions';
import { logOperation } from './operation-log';
import type { TrustedDocuments } from './trusted-documents';
import { checkStrings } from './string-limits';
import { createDocumentPreparer } from './websocket-documents';
import { SocketsPerKey, WsCloseCode } from './websocket-limits';
import {
  closeAtExpiry,
  closeSocketsOfRevokedCredentials,
  recheckCredentials,
  SocketsByCredential,
} from './websocket-revocation';
import { serveGraphqlWs, type SocketExtra } from './websocket-transport';

/** The context of a subscription until its group starts: who asked, which group, where results go. */
interface SubscriptionTicket {
  groupKey: string;
  auth: Authentication;
  deliver: Deliver;
  /** The subscription's place among the tenant's (plan quota), and the socket holding it. */
  lease: Lease | null;
  socket: SocketExtra;
  requestId: string;
  /** The operation's id on its socket and its root field (metrics). */
  id: string;
  field: string;
}

/**
 * graphql-ws on the same server and path as HTTP. The API key (connection params `x-api-key` or
 * `authorization`) is checked at connect time: a missing or bad key closes the socket with 4403
 * before any operation runs. Operations pass HTTP's query limits (tokens while parsing, then depth,
 * aliases, directives and cost) with HTTP's error codes. Subscriptions are multiplexed: see
 * `SubscriptionGroups`. Limits (`WebSocketLimits`): message size (close 1009), send buffer (close
 * `WsCloseCode.SlowConsumer`), operations per socket (`LIMIT_EXCEEDED`), sockets per API key
 * (close `WsCloseCode.TooManySockets`).
 */
export function attachGraphqlWs(options: {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  deps: AppDependencies;
  /** HTTP's query limits as validation rules (graphql-armor). */
  validationRules: ValidationRule[];
  /** HTTP's token limit (graphql-armor's `maxTokens`), applied while parsing. */
  maxTokens: number;
  limits: WebSocketLimits;
  /** Registered documents: called by id, and required where the deployment or tenant says so. */
  trustedDocuments?: TrustedDocuments | null;
}): {
  /** Reads the credentials of every open socket again now (the pub/sub reconnected: messages may be lost). */
  recheckCredentials(): Promise<void>;
  close(): Promise<void>;
} {
  const { deps, limits, schema } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: limits.maxMessageBytes,
  });
  const formatError = createErrorFormatter({ logger: deps.logger, maskUnexpected: deps.config.env !== 'development' });
  const formatResult = (result: ExecutionResult, requestId?: string): FormattedExecutionResult =>
    result.errors
      ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error, requestId)) }
      : result;
  // Queries and mutations still running: closing waits for them (their writes finish before the database closes).
  const running = new Set<Promise<unknown>>();
  const prepare = createDocumentPreparer({
    schema,
    validationRules: options.validationRules,
    maxTokens: options.maxTokens,
  });
  const groups = new SubscriptionGroups(formatResult);
  const subscribe = jitSubscriber(schema);
  const socketsPerKey = new SocketsPerKey(limits.maxSocketsPerKey);
  const quotas = new WebSocketQuotas(deps.quotas);
  // A revoked key (or a removed member's) ends its open feeds at once, on every instance; and
  // within CREDENTIAL_RECHECK_SECONDS should the pub/sub message be lost.
  const socketsByCredential = new SocketsByCredential();
  const stopClosingRevoked = closeSocketsOfRevokedCredentials(socketsByCredential, deps.pubSub);
  const rechecks = recheckCredentials(socketsByCredential, {
    check: (principals) => credentialsStillHeld(deps.orm.em.fork() as EntityManager, principals),
    intervalMs: deps.config.credentialRecheckSeconds * 1000,
    logger: deps.logger,
  });
  const metrics = deps.metrics ? new WebSocketMetrics(deps.metrics) : null;

  const admitSocket = (extra: SocketExtra, principal: Principal): boolean => {
    // The socket may have closed while its key was being checked: then it must not be counted.
    if (extra.socket.readyState !== WebSocket.OPEN) return false;
    if (!socketsPerKey.acquire(principal.credential)) {
      extra.socket.close(WsCloseCode.TooManySockets, 'Too many sockets for this API key');
      return false;
    }
    extra.credential = principal.credential;
    socketsByCredential.add(principal, extra.socket);
    // An expiring JWT (or API key) ends its feeds at expiry, not at the next subscribe.
    if (principal.expiresAt) extra.cancelExpiry = closeAtExpiry(extra.socket, principal.expiresAt);
    return true;
  };

  // The plan's sockets per key count across instances; WS_MAX_SOCKETS_PER_KEY stays this process's ceiling.
  const admitSocketToPlan = async (extra: SocketExtra, principal: Principal): Promise<boolean> => {
    const isOpen = () => extra.socket.readyState === WebSocket.OPEN;
    if (await quotas.admitSocket(extra, principal, isOpen)) return true;
    if (isOpen()) extra.socket.close(WsCloseCode.TooManySockets, 'Too many sockets for this API key');
    return false;
  };

  const server = makeServer<Record<string, unknown>, SocketExtra>({
    schema,
    onConnect: async (ctx) => {
      const auth = await authenticate(deps, ctx.connectionParams ?? {}).catch((error: unknown) => {
        if (!isUnavailable(error)) throw error;
        ctx.extra.socket.close(WsCloseCode.TryAgainLater, 'Service unavailable: retry shortly');
        return null;
      });
      const accepted =
        auth !== null &&
        auth.principal !== null &&
        admitSocket(ctx.extra, auth.principal) &&
        (await admitSocketToPlan(ctx.extra, auth.principal));
      if (accepted) metrics?.connected(ctx.extra);
      return accepted;
    },
    onSubscribe: async (ctx, id, payload) => {
      try {
        return await admitOperation(ctx, id, payload);
      } catch (error) {
        // e.g. SERVICE_UNAVAILABLE while checking the key: this operation fails, the socket stays.
        if (isAppError(error)) return [error];
        throw error;
      }
    },
    // Both give formatted results (graphql-ws types them as raw ones), which onNext passes on.
    subscribe: (args: ExecutionArgs) => {
      const { groupKey, auth, deliver, lease, socket, requestId, id, field } = args.contextValue as SubscriptionTicket;
      // The group's context (when this subscriber starts the group): its resolvers note each event's time.
      let context: AppContext | undefined;
      const start = async () => subscribe({ ...args, contextValue: (context = createContext(deps, auth)) });
      const afterEvent = metrics
        ? () => {
            if (!context?.eventRecordedAt) return;
            metrics.pushed(field, context.eventRecordedAt);
            context.eventRecordedAt = undefined;
          }
        : undefined;
      logOperation(deps.logger, {
        requestId,
        transport: 'ws',
        operationName: getOperationAST(args.document, args.operationName)?.name?.value,
        operationType: 'subscription',
        startedAt: performance.now(),
        errors: undefined,
        principal: auth.principal,
      });
      const joined = groups.join(groupKey, start, deliver, afterEvent);
      if (metrics) {
        void joined.then(
          (result) => result instanceof LiveSubscription && metrics.subscriptionStarted(socket, id, field),
          () => {},
        );
      }
      return quotas.releaseWhenDone(socket, lease, joined) as unknown as OperationResult;
    },
    execute: (args: ExecutionArgs) => track(runOperation(args)) as unknown as Promise<ExecutionResult>,
    onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
    onComplete: (ctx, id) => metrics?.subscriptionEnded(ctx.extra, id),
    onError: (ctx, id, payload, errors) => {
      const requestId = operationRequestId(ctx.extra, id);
      const formatted = errors.map((error) => formatError(error.toJSON(), error, requestId));
      logOperation(deps.logger, {
        requestId,
        transport: 'ws',
        operationName: payload.operationName,
        operationType: undefined,
        startedAt: performance.now(),
        errors: formatted,
        principal: undefined,
      });
      return formatted;
    },
    onClose: (ctx, code) => {
      metrics?.closed(ctx.extra, code ?? 1005);
      ctx.extra.cancelExpiry?.();
      if (ctx.extra.credential !== undefined) {
        socketsPerKey.release(ctx.extra.credential);
        socketsByCredential.remove(ctx.extra.credential, ctx.extra.socket);
      }
      quotas.closed(ctx.extra);
    },
  });

  async function admitOperation(ctx: OperationContext, id: string, sent: SubscribePayload) {
    // graphql-ws registers the operation before this hook, so it is counted.
    if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
      const limit = limits.maxSubscriptionsPerSocket;
      return [new LimitExceededError(`At most ${limit} operations may run at once on one WebSocket`, limit)];
    }
    // Again at each subscribe: a key revoked since the socket opened must not start a feed.
    const auth = await authenticate(deps, ctx.connectionParams ?? {});
    if (!auth.principal) return [new UnauthenticatedError(auth.authFailure ?? undefined)];
    let payload = sent;
    const { trustedDocuments } = options;
    if (trustedDocuments) {
      const resolved = trustedDocuments.resolve(sent, trustedDocuments.requiredFor(auth.principal));
      if ('error' in resolved) return [resolved.error];
      payload = { ...sent, query: resolved.query ?? sent.query };
    }
    const prepared = prepare(payload.query);
    if (prepared.errors) return prepared.errors;
    try {
      checkStrings(prepared.document, payload.variables ?? undefined);
    } catch (error) {
      return [error as GraphQLError];
    }
    const operation = getOperationAST(prepared.document, payload.operationName);
    if (!operation) return [operationResolutionFailure(payload.operationName)];
    // The plan's quotas (RATE_LIMITED), last: only an operation that would run is counted.
    const admitted = await quotas.admitOperation(ctx.extra, auth.principal, operation);
    if (admitted.errors) return admitted.errors;
    const args = {
      schema,
      document: prepared.document,
      operationName: payload.operationName,
      variableValues: payload.variables,
    };
    const requestId = operationRequestId(ctx.extra, id);
    if (operation.operation !== 'subscription') {
      return { ...args, contextValue: createContext(deps, auth, requestId) };
    }
    if (deps.metrics) recordDeprecatedUsage(deps.metrics, prepared.document, operation.name?.value);
    const ticket: SubscriptionTicket = {
      groupKey: groupKeyOf(payload, auth.principal),
      auth,
      deliver: nextMessageSender(id, ctx.extra.send),
      lease: admitted.lease,
      socket: ctx.extra,
      requestId,
      id,
      field: subscriptionFieldOf(operation),
    };
    return { ...args, contextValue: ticket };
  }

  async function runOperation(args: ExecutionArgs): Promise<FormattedExecutionResult> {
    const context = args.contextValue as AppContext;
    const startedAt = performance.now();
    const result = formatResult(await execute(args), context.requestId);
    const operation = getOperationAST(args.document, args.operationName);
    if (metrics && operation) {
      const codes = (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
      recordOperation(
        deps.metrics!,
        operation.name?.value,
        operation.operation,
        (performance.now() - startedAt) / 1000,
        codes,
        args.document,
      );
    }
    logOperation(deps.logger, {
      requestId: context.requestId,
      transport: 'ws',
      operationName: operation?.name?.value,
      operationType: operation?.operation,
      startedAt,
      errors: result.errors,
      principal: context.principal,
    });
    return result;
  }

  function track<T>(operation: Promise<T>): Promise<T> {
    running.add(operation);
    const forget = () => running.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  const transport = serveGraphqlWs(wsServer, server, {
    maxBufferedBytes: limits.maxBufferedBytes,
    logger: deps.logger,
  });
  let closing: Promise<void> | undefined;
  return {
    recheckCredentials: rechecks.recheck,
    // Idempotent: both Apollo's drain and app.close() call it.
    close: () => {
      stopClosingRevoked();
      rechecks.stop();
      return (closing ??= transport.dispose().then(async () => {
        await Promise.allSettled([...running]);
      }));
    },
  };
}

type OperationContext = Parameters<NonNullable<ServerOptions<Record<string, unknown>, SocketExtra>['onSubscribe']>>[0];

function isUnavailable(error: unknown): boolean {
  return isAppError(error) && error.extensions.code === 'SERVICE_UNAVAILABLE';
}

// The socket's id and the client's operation id (kept to the characters of a request id).
function operationRequestId(extra: SocketExtra, id: string): string {
  return `${extra.connectionId}:${id.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64)}`;
}

// Worded and coded as Apollo Server (graphql-js) answers it over HTTP.
function operationResolutionFailure(operationName: string | null | undefined): GraphQLError {
  const message = operationName
    ? `Unknown operation named "${operationName}".`
    : 'Must provide operation name if query contains multiple operations.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

// A graphql-ws `next` message around a result serialised once for every subscriber of its group.
function nextMessageSender(id: string, send: (data: string) => void): Deliver {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return (resultJson) => send(`${head}${resultJson}}`);
}

// Subscribers of one tenant with the same operation and role see the same data (permissions
// depend on the role), so they share one execution. Never across tenants: a feed may carry
// tenant-private data (alertTriggered, a tenant's own models).
function groupKeyOf(payload: SubscribePayload, principal: Principal): string {
  const { tenantId, role } = principal;
  return JSON.stringify([tenantId, role, payload.operationName ?? null, payload.variables ?? null, payload.query]);
}
