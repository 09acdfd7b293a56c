import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Fields added to every log line written while handling one request (e.g. its id). */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/** `destination` defaults to stdout; tests pass a stream to read what was logged. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'matchcast' }, mixin: () => logContext.getStore() ?? {} }, destination);
}
