import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

/** Stable `extensions.code` values clients may rely on. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'LIMIT_EXCEEDED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

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
  constructor(typeName: string, id: string | number) {
    super(`${typeName} ${id} was not found`, 'NOT_FOUND');
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

/** A configured limit was reached (e.g. subscriptions per WebSocket); `limit` says how many are allowed. */
export class LimitExceededError extends AppError {
  constructor(message: string, limit: number) {
    super(message, 'LIMIT_EXCEEDED', { limit });
  }
}

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
 * logged and, outside development, masked. Stack traces are never sent.
 */
export function createErrorFormatter(options: { logger: Logger; maskUnexpected: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
    const code = formatted.extensions?.code as string | undefined;
    if (isAppError(original) || isAppError(error)) return withoutStack(formatted);
    if (code === 'BAD_USER_INPUT' && formatted.extensions?.validationErrors) {
      return validationFailure(formatted);
    }
    if (code && CLIENT_CODES.has(code)) return withoutStack(formatted);
    if (!code && original === error) {
      // graphql-js validation/coercion errors carry no code and no original error.
      return withoutStack({ ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } });
    }
    options.logger.error({ err: original, path: formatted.path }, 'unexpected GraphQL error');
    return {
      message: options.maskUnexpected ? 'Internal server error' : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions) return formatted;
  const {
    stacktrace: _stacktrace,
    exception: _exception,
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

function flattenValidation(errors: ValidationErrorLike[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...flattenValidation(e.children ?? [], path)];
  });
}
