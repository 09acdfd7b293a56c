import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Fields added to every log line written while handling one request (e.g. its id). */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * JSON lines (for log collectors), or readable lines when `pretty` (a developer's terminal).
 * `destination` defaults to stdout; tests pass a stream to read what was logged.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: { pretty?: boolean } = {},
): Logger {
  const settings = { level, base: { service: 'matchcast' }, mixin: () => logContext.getStore() ?? {} };
  if (options.pretty && !destination) {
    return pino({ ...settings, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,service' } } });
  }
  return pino(settings, destination);
}
