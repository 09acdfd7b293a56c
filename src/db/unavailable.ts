/**
 * PostgreSQL SQLSTATEs meaning the server is away or not taking work yet: shutting down
 * (57P01 admin_shutdown, 57P02 crash_shutdown), starting up (57P03 cannot_connect_now), the
 * connection failed or broke (class 08), or no connection slot was free (53300).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);

// Socket errors of a server that is down, restarting or unreachable.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-postgres and knex say it only in words: a broken connection, or no connection from the
// pool in time. Not anchored: knex puts the failed statement's SQL before pg's message. A
// transaction whose BEGIN failed on a broken connection is reported only as "already complete"
// at its first statement (a misuse would read the same; it is logged with the error either way).
const MESSAGES =
  /Connection terminated|Connection ended unexpectedly|Client has encountered a connection error|Client was closed and is not queryable|Timeout acquiring a connection|Transaction query already complete/;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  previous?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * Whether an error (or one it wraps: MikroORM's `previous`, `cause`, GraphQL's `originalError`)
 * says the database cannot be reached right now, rather than that the statement was wrong.
 * Such failures are worth retrying: nothing was committed.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && (SQLSTATES.has(e.code) || SOCKET_CODES.has(e.code))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  return [e.previous, e.cause, e.originalError].some(
    (inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1),
  );
}

// A SQLSTATE: five digits or capitals (PostgreSQL's error codes, as pg and MikroORM report them).
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The SQLSTATE of a database error (or of one it wraps), or null when the error did not come
 * from PostgreSQL. Such errors' messages may carry the statement (knex puts it before pg's
 * message), so they are never shown as they are.
 */
export function sqlStateOf(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const e = error as ErrorLike & { sqlState?: unknown; severity?: unknown };
  if (typeof e.sqlState === 'string' && SQLSTATE.test(e.sqlState)) return e.sqlState;
  if (typeof e.code === 'string' && SQLSTATE.test(e.code) && typeof e.severity === 'string') return e.code;
  for (const inner of [e.previous, e.cause, e.originalError]) {
    const found = inner !== error ? sqlStateOf(inner, depth + 1) : null;
    if (found) return found;
  }
  return null;
}
