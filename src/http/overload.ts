import type { RequestHandler } from 'express';
import { sendErrors } from './json-errors';

/** Seconds a client is asked to wait before trying again when the server sheds load. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Sheds load instead of queueing without bound: while `maxInFlight` GraphQL requests are
 * being answered, another is refused at once with 503, `Retry-After` and the code
 * SERVICE_UNAVAILABLE. Latency then stays bounded for the requests that are served, and
 * clients back off, rather than every request waiting its way into a timeout.
 */
export function shedLoad(maxInFlight: number, onShed?: () => void): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (inFlight >= maxInFlight) {
      onShed?.();
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      sendErrors(req, res, [
        {
          message: 'The server is busy; retry shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: RETRY_AFTER_SECONDS },
        },
      ]);
      return;
    }
    inFlight += 1;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}
