import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { toGlobalId } from './common/global-id';
import { isDatabaseUnavailable, sqlStateOf } from './db/unavailable';
import type { Logger } from './logger';

/** Stable `extensions.code` values clients may rely on. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'OUT_OF_ORDER'
  | 'LIMIT_EXCEEDED'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** Codes of Apollo Server and graphql-js for requests it cannot run (all client mistakes). */
type RequestErrorCode =
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'OPERATION_RESOLUTION_FAILURE'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_SUPPORTED';

/**
 * The HTTP status of a request refused as a whole (no `data`) with this code. Errors inside
 * `data` (field errors) come with 200, as the GraphQL-over-HTTP spec asks.
 */
export const HTTP_STATUS_OF_CODE: Record<ErrorCode | RequestErrorCode, number> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  // Apollo answers the automatic persisted queries protocol with 200 itself.
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  LIMIT_EXCEEDED: 400,
  PERSISTED_QUERY_NOT_IN_LIST: 400,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  OUT_OF_ORDER: 409,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
};

// A brand, not `instanceof`: ESM and CommonJS copies of graphql can both be loaded
// (e.g. under vitest), and then one GraphQLError class is not the other.
const APP_ERROR = Symbol.for('matchcast.AppError');

/** An expected failure: its message and code are safe to show to clients. */
export class AppError extends GraphQLError {
  readonly [APP_ERROR] = true;

  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.name = new.target.name;
  }
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[APP_ERROR] === true;
}

export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(message, 'BAD_USER_INPUT', field ? { field } : {});
  }
}

export class NotFoundError extends AppError {
  /** `id`: the global ID the caller sent, or the row id (shown as its global ID, never as a number). */
  constructor(typeName: string, id: string | number) {
    super(`${typeName} ${typeof id === 'number' ? toGlobalId(typeName, id) : id} was not found`, 'NOT_FOUND');
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required: send an API key in the x-api-key header') {
    super(message, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this operation') {
    super(message, 'FORBIDDEN');
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

export class InvalidStateError extends AppError {
  constructor(message: string) {
    super(message, 'INVALID_STATE');
  }
}

/** A match event arrived too far behind the match clock to be applied (see match-state.ts). */
export class OutOfOrderError extends AppError {
  constructor(message: string) {
    super(message, 'OUT_OF_ORDER');
  }
}

/** A configured limit was reached (e.g. subscriptions per WebSocket); `limit` says how many are allowed. */
export class LimitExceededError extends AppError {
  constructor(message: string, limit: number) {
    super(message, 'LIMIT_EXCEEDED', { limit });
  }
}

/**
 * A quota of the tenant's plan was used up (requests or query cost per minute, concurrent
 * subscriptions, sockets per key): retry after `retryAfter` seconds; `limit` is the plan's.
 */
/** The caller may send only registered (trusted) documents, and this one is not (see http/trusted-documents.ts). */
export class NotTrustedDocumentError extends AppError {
  constructor() {
    super(
      'Only registered documents are accepted here: send the documentId of an operation in the trusted-documents manifest',
      'PERSISTED_QUERY_NOT_IN_LIST',
    );
  }
}

export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfter: number,
    limit: number,
  ) {
    super(message, 'RATE_LIMITED', { retryAfter, limit });
  }
}

/** A database statement ran past DB_STATEMENT_TIMEOUT_MS and was cancelled. */
export class TimeoutError extends AppError {
  constructor() {
    super(
      'The request took too long in the database and was cancelled: narrow it (filters, page size) or retry',
      'TIMEOUT',
    );
  }
}

/** Seconds a client is asked to wait when the database is away (a restart takes a few). */
export const DATABASE_RETRY_AFTER_SECONDS = 3;

/**
 * The database cannot be reached right now (down, restarting, no free connection): nothing was
 * written, and the same request may succeed after `retryAfter` seconds. Thrown before execution
 * (authentication), it carries its HTTP status for Apollo; in a field it is mapped by the formatter.
 */
export class ServiceUnavailableError extends AppError {
  constructor(readonly retryAfter = DATABASE_RETRY_AFTER_SECONDS) {
    super('The database is unavailable; retry shortly', 'SERVICE_UNAVAILABLE', {
      retryAfter,
      http: { status: 503, headers: new Map([['retry-after', String(retryAfter)]]) },
    });
  }
}

// PostgreSQL's query_canceled: here, statement_timeout (nothing else cancels statements).
const QUERY_CANCELED = '57014';

// graphql-js reports its token limit as a syntax error: "more that N tokens" (sic; later
// versions may fix the spelling).
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

// Codes produced by graphql-js, Apollo and type-graphql for client mistakes.
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/**
 * Formats every error leaving the server: expected errors pass through, unexpected ones are
 * logged (with `logger`) and, outside development, masked; a database that is away gives
 * SERVICE_UNAVAILABLE. Stack traces are never sent. Given a request id, each error carries it as
 * `extensions.requestId` (HTTP answers get it on their way out instead: http/request-id.ts).
 * `logger: null` formats without logging: Apollo's formatError has no request to name, so over
 * HTTP the same formatter logs from a plugin that has it (http/operation-log.ts).
 */
export function createErrorFormatter(options: { logger: Logger | null; maskUnexpected: boolean }) {
  const format = formatterOf(options);
  return (formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError => {
    const result = format(formatted, error, requestId);
    return requestId ? { ...result, extensions: { ...result.extensions, requestId } } : result;
  };
}

function formatterOf(options: { logger: Logger | null; maskUnexpected: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
    const code = formatted.extensions?.code as string | undefined;
    if (isAppError(error)) return withoutStack(formatted);
    // Wrapped by Apollo (a validation error reported by a limit, a plugin's error): its own code wins.
    if (isAppError(original)) {
      const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
      return withoutStack({ ...formatted, extensions });
    }
    if ((original as { code?: unknown } | null)?.code === QUERY_CANCELED) {
      options.logger?.warn({ err: original, path: formatted.path, requestId }, 'database statement timed out');
      return { ...new TimeoutError().toJSON(), locations: formatted.locations, path: formatted.path };
    }
    if (isDatabaseUnavailable(original)) {
      options.logger?.warn({ err: original, path: formatted.path, requestId }, 'database unavailable');
      return {
        ...withoutStack(new ServiceUnavailableError().toJSON()),
        locations: formatted.locations,
        path: formatted.path,
      };
    }
    const tokenLimit = code === 'GRAPHQL_PARSE_FAILED' ? TOKEN_LIMIT.exec(formatted.message) : null;
    if (tokenLimit) {
      const limit = Number(tokenLimit[1]);
      return new LimitExceededError(`Token limit of ${limit} exceeded.`, limit).toJSON();
    }
    if (code === 'BAD_USER_INPUT' && formatted.extensions?.validationErrors) {
      return validationFailure(formatted);
    }
    if (code && CLIENT_CODES.has(code)) return withoutStack(formatted);
    if (!code && (original === error || isVariableCoercionError(error))) {
      // graphql-js validation/coercion errors carry no code and no original error.
      return withoutStack({ ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } });
    }
    options.logger?.error({ err: original, path: formatted.path, requestId }, 'unexpected GraphQL error');
    return {
      message: options.maskUnexpected ? 'Internal server error' : unexpectedMessage(formatted.message, original),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

// Development shows what went wrong, except a database error's text: it may hold the statement,
// its parameters and whose data they are (the log has it all).
function unexpectedMessage(message: string, original: unknown): string {
  const sqlState = sqlStateOf(original);
  return sqlState ? `Unexpected database error (SQLSTATE ${sqlState}); the server log has the details` : message;
}

// graphql-js refuses a variable's value with the scalar's error as the original one (Apollo
// recognises these the same way on HTTP; graphql-ws does not).
function isVariableCoercionError(error: unknown): boolean {
  const { nodes, message } = error as Partial<GraphQLError>;
  const node = nodes?.length === 1 ? nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION || !message) return false;
  const variable = `Variable "$${node.variable.name.value}" `;
  return ['got invalid value ', 'of required type ', 'of non-null type '].some((rest) =>
    message.startsWith(variable + rest),
  );
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions) return formatted;
  // `http` is Apollo's instruction for the response head (a Map), not something to send.
  const {
    stacktrace: _stacktrace,
    exception: _exception,
    http: _http,
    ...extensions
  } = formatted.extensions as Record<string, unknown>;
  return { ...formatted, extensions };
}

// type-graphql reports "Argument Validation Error"; say what is wrong instead.
function validationFailure(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const errors = formatted.extensions?.validationErrors as ValidationErrorLike[];
  const messages = flattenValidation(errors);
  return {
    ...formatted,
    message: messages.length ? messages.join('; ') : formatted.message,
    extensions: { code: 'BAD_USER_INPUT', fields: messages },
  };
}

/** class-validator's errors as `path: message` lines. */
export function flattenValidation(errors: ValidationErrorLike[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...flattenValidation(e.children ?? [], path)];
  });
}
