import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for the GraphQL endpoint (the `cors` middleware): browsers on `origins` (CORS_ORIGINS;
 * `*` for any) may call it, preflight included. Keys travel in headers, never cookies, so no
 * credentials are allowed. Null without origins: no CORS headers, browsers keep their
 * same-origin rule.
 */
export function corsFor(origins: readonly string[]): RequestHandler | null {
  if (origins.length === 0) return null;
  return cors({
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [
      'accept',
      'authorization',
      'content-type',
      'x-api-key',
      'x-request-id',
      // Apollo's CSRF guard asks a GET for one of these.
      'apollo-require-preflight',
      'x-apollo-operation-name',
    ],
    exposedHeaders: ['retry-after', 'x-request-id'],
    // Ten minutes: a browser does not preflight every request.
    maxAge: 600,
  });
}
