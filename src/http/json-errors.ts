import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';
import { GRAPHQL_RESPONSE_TYPES, statusOf, WWW_AUTHENTICATE } from './graphql-over-http';

/**
 * Answers with GraphQL-shaped errors outside GraphQL execution, in the response media type the
 * client accepts (`application/graphql-response+json` when it prefers it, JSON otherwise).
 */
export function sendErrors(req: Request, res: Response, errors: GraphQLFormattedError[], status = statusOf(errors)) {
  const type = req.accepts([...GRAPHQL_RESPONSE_TYPES]) || GRAPHQL_RESPONSE_TYPES[0];
  if (status === 401) res.set('www-authenticate', WWW_AUTHENTICATE);
  res.status(status).type(`${type}; charset=utf-8`).send(JSON.stringify({ errors }));
}

interface HttpError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  /** body-parser's kind of failure, e.g. `entity.too.large`. */
  type?: string;
  limit?: number;
}

/**
 * Last-resort handler for errors outside GraphQL execution (e.g. a body that is not JSON, or one
 * over the size limit): a GraphQL-shaped answer, never Express's HTML page with a stack trace.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: HttpError, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error, requestId: res.locals.requestId as unknown }, 'unhandled HTTP error');
    if (error.type === 'entity.too.large' && error.limit !== undefined) {
      const message = `The request body is larger than the limit of ${error.limit} bytes`;
      return sendErrors(req, res, [{ message, extensions: { code: 'LIMIT_EXCEEDED', limit: error.limit } }], 413);
    }
    const clientError = status < 500 && error.expose !== false;
    const message = clientError ? (error.message ?? 'Bad request') : 'Internal server error';
    sendErrors(
      req,
      res,
      [{ message, extensions: { code: clientError ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }],
      status,
    );
  };
}

/** Unknown paths: a JSON 404 with the code NOT_FOUND, not Express's HTML page. */
export function notFound(graphqlPath: string): RequestHandler {
  return (req, res) => {
    sendErrors(req, res, [{ message: `Not found: the API is at ${graphqlPath}`, extensions: { code: 'NOT_FOUND' } }]);
  };
}
