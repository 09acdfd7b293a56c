import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Principal } from '../auth/principal';
import type { AppContext } from '../context';
import { createErrorFormatter } from '../errors';
import type { Logger } from '../logger';

/** What one log line says of one GraphQL operation. */
export interface OperationRecord {
  requestId: string;
  transport: 'http' | 'ws';
  /** The operation's name; null when anonymous or never resolved (unparsable, invalid). */
  operationName: string | null | undefined;
  operationType: string | undefined;
  startedAt: number;
  errors: readonly GraphQLFormattedError[] | undefined;
  principal: Principal | null | undefined;
}

/**
 * Writes the one line of an operation: name, type, duration in ms, outcome (`ok`, or `error`
 * with the error codes) and tenant. Never variables or headers (they may hold secrets).
 */
export function logOperation(logger: Logger, record: OperationRecord): void {
  if (!logger.isLevelEnabled('info')) return;
  const errorCodes = record.errors?.length ? record.errors.map((e) => String(e.extensions?.code)) : undefined;
  logger.info(
    {
      requestId: record.requestId,
      transport: record.transport,
      operationName: record.operationName ?? null,
      operationType: record.operationType ?? null,
      durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
      outcome: errorCodes ? 'error' : 'ok',
      errorCodes,
      tenant: record.principal?.tenantSlug ?? null,
    },
    'graphql operation',
  );
}

/** One line per HTTP operation, once its response (errors formatted) is known; nothing per field. */
export function operationLogOverHttp(logger: Logger): ApolloServerPlugin<AppContext> {
  return {
    // Refused before any operation ran (e.g. the key could not be checked): still one line.
    async contextCreationDidFail({ error }) {
      if (!logger.isLevelEnabled('info')) return;
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR';
      logger.info(
        {
          requestId: requestIdOfFailure(error),
          transport: 'http',
          operationName: null,
          outcome: 'error',
          errorCodes: [String(code)],
        },
        'graphql operation',
      );
    },
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, operation, operationName, contextValue }) {
          const body = response.body;
          logOperation(logger, {
            requestId: contextValue.requestId,
            transport: 'http',
            operationName,
            operationType: operation?.operation,
            startedAt,
            errors: body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors,
            principal: contextValue.principal,
          });
        },
      };
    },
  };
}

/**
 * Logs what the error formatter logs (unexpected errors, timeouts, a database away) for an HTTP
 * operation, with its request id: Apollo's formatError itself is not told which request it
 * formats for.
 */
export function errorLogOverHttp(logger: Logger, maskUnexpected: boolean): ApolloServerPlugin<AppContext> {
  const logging = createErrorFormatter({ logger, maskUnexpected });
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            // As Apollo gives it to formatError: an error without a code is an internal one.
            const formatted = error.toJSON();
            const code = formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
            logging({ ...formatted, extensions: { ...formatted.extensions, code } }, error, contextValue.requestId);
          }
        },
      };
    },
  };
}

const FAILED_REQUEST_ID = Symbol('requestId');

/** Marks an error thrown while making a request's context with its request id (for its log line). */
export function withFailedRequestId<E>(error: E, requestId: string): E {
  if (typeof error === 'object' && error !== null) (error as Record<symbol, unknown>)[FAILED_REQUEST_ID] = requestId;
  return error;
}

function requestIdOfFailure(error: unknown): string | undefined {
  return (error as Record<symbol, string | undefined> | null)?.[FAILED_REQUEST_ID];
}
