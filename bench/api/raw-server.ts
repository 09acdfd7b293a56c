// The raw baseline of `npm run bench:api`: node:http and one prepared SQL statement per request,
// answering with the JSON Matchcast returns for the same read. No auth, no GraphQL: the ceiling.
// Env: DATABASE_URL, PORT, HOST.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { MATCH_DETAIL_SQL, MATCH_LIST_SQL } from './raw-queries.sql';

// Matchcast's MikroORM pool is 10 connections: same budget here.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

type Route = (params: URLSearchParams) => { name: string; text: string; values: unknown[] } | null;

const routes: Record<string, Route> = {
  '/matches': (params) => ({
    name: 'match_list',
    text: MATCH_LIST_SQL,
    values: [params.get('competition'), params.get('season'), Number(params.get('first') ?? 20)],
  }),
  '/match': (params) => {
    const id = matchIdOf(params.get('id') ?? '');
    return id === null ? null : { name: 'match_detail', text: MATCH_DETAIL_SQL, values: [id] };
  },
};

function matchIdOf(globalId: string): number | null {
  const [typeName, id] = Buffer.from(globalId, 'base64url').toString('utf8').split(':');
  const value = Number(id);
  return typeName === 'Match' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://raw');
  if (url.pathname === '/healthz') return send(res, 200, '{"status":"ok"}');
  const query = routes[url.pathname]?.(url.searchParams);
  if (!query) return send(res, 404, errorBody('not found'));
  const result = await pool.query<{ body: string }>(query);
  const row = result.rows[0];
  send(res, row ? 200 : 404, row ? row.body : errorBody('not found'));
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const errorBody = (message: string) => JSON.stringify({ errors: [{ message }] });

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    send(res, 500, errorBody('internal error'));
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
