import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { logContext } from '../logger';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Honours a sane incoming X-Request-Id (from a proxy) or makes one; echoes it back and logs it. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.header('x-request-id');
  const id = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  logContext.run({ requestId: id }, next);
};

export function requestIdOf(req: Request): string {
  return (req.res?.locals.requestId as string | undefined) ?? randomUUID();
}
