import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';

/**
 * Last-resort handler for errors outside GraphQL execution (e.g. a body that is not JSON):
 * a GraphQL-shaped JSON answer, never Express's HTML page with a stack trace.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; statusCode?: number; expose?: boolean; message?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error }, 'unhandled HTTP error');
    const clientError = status < 500 && error.expose !== false;
    res.status(status).json({
      errors: [
        {
          message: clientError ? (error.message ?? 'Bad request') : 'Internal server error',
          extensions: { code: clientError ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
  };
}
