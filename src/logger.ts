import pino, { type Logger } from 'pino';
import { traceFieldsOfActiveSpan, tracingActive } from './tracing/spans';

export type { Logger };

/**
 * Secrets that must never reach a log line where a caller would put them: request headers (API
 * keys, bearer JWTs, cookies), graphql-ws connection params, keys, tokens, passwords, and the
 * service URLs of the configuration (they may carry passwords). Explicit paths only: a wildcard
 * (`*.token`) makes pino walk every line's keys, about 14 µs a line where these cost nothing.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'connectionParams',
  'apiKey',
  'token',
  'jwt',
  'password',
  'databaseUrl',
  'redisUrl',
  'config.databaseUrl',
  'config.redisUrl',
];

// user:password@ in any URL inside a message or a stack (a driver's error may quote one).
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]*@/gi;

/** Removes passwords from URLs in a text. */
export function withoutUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}

// Only error lines pay for this: the usual serializer, then URL passwords removed.
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  for (const field of ['message', 'stack'] as const) {
    const value = serialized[field];
    if (typeof value === 'string') serialized[field] = withoutUrlPasswords(value);
  }
  return serialized;
}

/**
 * JSON lines (for log collectors), or readable lines when `pretty` (a developer's terminal).
 * `destination` defaults to stdout; tests pass a stream to read what was logged.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: { pretty?: boolean } = {},
): Logger {
  const settings: pino.LoggerOptions = {
    level,
    base: { service: 'matchcast' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    // With tracing on, a line logged inside a span names its trace (a log search finds the trace).
    ...(tracingActive() ? { mixin: traceFieldsOfActiveSpan } : {}),
  };
  if (options.pretty && !destination) {
    return pino({ ...settings, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,service' } } });
  }
  return pino(settings, destination);
}
