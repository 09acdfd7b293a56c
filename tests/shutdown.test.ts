import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { idOf } from '../src/common/global-id';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { createOrm } from '../src/db/orm';
import { MatchStatus } from '../src/matches/match.enums';
import { Role } from '../src/tenants/role';
import { Scope } from '../src/tenants/scope';
import { MatchUpdatedDocument, RecordMatchEventDocument, type MatchEventType } from './generated/graphql';
import { createLeague, createMatches, createMember, unique } from './support/factories';
import { freePort } from './support/free-port';
import { startMainProcess, type MainProcess as Server } from './support/main-process';
import { GraphqlClient, Subscription } from './support/graphql-client';
import { createAdminClient, databaseUrlFor } from './support/postgres-admin';

const SHUTDOWN_TIMEOUT_MS = 15_000;
// Long enough to see /readyz answer 503 while the listener is still open.
const SHUTDOWN_DELAY_MS = 1000;

/** The server as `npm start` runs it, with this file's shutdown settings. */
function startShutdownMain(env: Record<string, string>): Promise<Server> {
  return startMainProcess({
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    // The in-flight mutation waits for a row lock longer than the default statement timeout.
    DB_STATEMENT_TIMEOUT_MS: '60000',
    REDIS_NAMESPACE: `test-shutdown-${unique()}`,
    ...env,
  });
}

async function waitFor<T>(read: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readiness(url: string): Promise<{ status: number; body: { checks: Record<string, unknown> } } | null> {
  try {
    const response = await fetch(url.replace('/graphql', '/readyz'));
    return { status: response.status, body: (await response.json()) as { checks: Record<string, unknown> } };
  } catch {
    return null; // connection refused: the listener is closed
  }
}

/**
 * With a subscription open and a mutation waiting on a row lock, SIGTERM must: turn /readyz to
 * 503, close the subscription's socket with 1001, let the mutation finish and store its event,
 * and exit 0 within SHUTDOWN_TIMEOUT_MS.
 */
async function shutDownUnderLoad(
  server: Server,
  databaseUrl: string,
  /** Copies of the event stored, read once the server has exited. */
  storedCopies: (externalId: string) => Promise<number>,
): Promise<void> {
  const { client, matchId, event } = await liveMatch(server, databaseUrl);

  let closeCode: number | undefined;
  const ws = client.websocket({ onClosed: (e) => (closeCode = e.code) });
  const subscription = new Subscription(ws, MatchUpdatedDocument, { matchId: matchId! });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await client.data(RecordMatchEventDocument, event(`before-${unique()}`));
  await subscription.waitFor(1);

  const locker = await lockMatch(databaseUrl, matchId);
  const inFlightId = `in-flight-${unique()}`;
  const inFlight = client.request(RecordMatchEventDocument, event(inFlightId));
  inFlight.catch(() => {}); // awaited below; a failure before then must not go unhandled
  await untilWaitingOnLock(locker);

  const signalled = Date.now();
  server.child.kill('SIGTERM');
  // Until the signal is handled /readyz says 200; it must say 503 before the listener closes.
  const unready = await waitFor(
    async () => {
      const answer = await readiness(server.url);
      if (!answer) throw new Error('the listener closed before /readyz answered 503');
      return answer.status === 503 ? answer : null;
    },
    SHUTDOWN_DELAY_MS,
    '/readyz to answer 503',
  );
  expect(unready.body.checks.shutdown).toMatchObject({ status: 'fail' });
  await waitFor(() => closeCode, 5000, 'the WebSocket to close');
  expect(closeCode).toBe(1001);

  await locker.query('commit');
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(answer.errors).toBeUndefined();
  expect(answer.data?.recordMatchEvent.created).toBe(true);
  expect(await server.exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  expect(await readiness(server.url)).toBeNull();

  await locker.end().catch(() => {});
  expect(await storedCopies(inFlightId)).toBe(1);
  subscription.close();
  await ws.dispose();

  // JSON lines, ending with the graceful stop.
  const lines = server.output().trim().split('\n');
  const parsed = lines.map((line) => JSON.parse(line) as { msg: string });
  expect(parsed.map((line) => line.msg)).toContain('shutting down');
  expect(parsed.at(-1)!.msg).toBe('stopped');
}

/** A live match of a new league, and an operator's client to record its events. */
async function liveMatch(server: Server, databaseUrl: string) {
  const orm = await createOrm({ databaseUrl });
  const operator = await createMember(orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
  const league = await createLeague(orm, 2);
  const [matchId] = (await createMatches(orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date(), status: MatchStatus.LIVE },
  ])) as [string];
  await orm.close();
  const event = (externalId: string) => ({
    input: { matchId, type: 'RED_CARD' as MatchEventType, minute: 10, teamId: league.teams[0]!.gid, externalId },
  });
  return { client: new GraphqlClient(server.url, operator.apiKey), matchId, event };
}

/** Another connection holding the match's row lock: an event recorded for it waits until released. */
async function lockMatch(databaseUrl: string, matchId: string): Promise<Client> {
  const locker = new Client({ connectionString: databaseUrl });
  locker.on('error', () => {}); // the embedded server goes away with the app
  await locker.connect();
  await locker.query('begin');
  await locker.query('select id from match where id = $1 for update', [idOf('Match', matchId)]);
  return locker;
}

async function untilWaitingOnLock(locker: Client): Promise<void> {
  const waiting = `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
  // Generous: on a busy machine (the whole suite at once) the request can take seconds to get there.
  await waitFor(async () => (await locker.query(waiting)).rowCount, 30_000, 'a statement to wait on the lock');
}

const silent = pino({ level: 'silent' });

async function countEvents(databaseUrl: string, externalId: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('select 1 from match_event where external_id = $1', [externalId])).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe('SIGTERM', () => {
  const serverUrl = inject('databaseUrl');
  const databases: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-shutdown-'));
  fs.chmodSync(dir, 0o755);
  const servers: Server[] = [];

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    // An embedded PostgreSQL left behind by a failed test: stop it (fast shutdown).
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    if (fs.existsSync(pidFile)) process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
    fs.rmSync(dir, { recursive: true, force: true });
    const admin = await createAdminClient(serverUrl);
    for (const database of databases) await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.end();
  });

  async function freshDatabase(): Promise<string> {
    const database = `matchcast_shutdown_${unique()}`;
    databases.push(database);
    const admin = await createAdminClient(serverUrl);
    await admin.query(`create database "${database}"`);
    await admin.end();
    return databaseUrlFor(serverUrl, database);
  }

  it('drains: unready first, subscribers told (1001), the in-flight write finished, exit 0', async () => {
    const databaseUrl = await freshDatabase();
    const server = await startShutdownMain({ DATABASE_URL: databaseUrl });
    servers.push(server);
    await shutDownUnderLoad(server, databaseUrl, (externalId) => countEvents(databaseUrl, externalId));
  }, 60_000);

  it('does the same with the embedded PostgreSQL, which it stops last', async () => {
    const port = await freePort();
    const pgDir = path.join(dir, 'pg');
    const env = { DATABASE_URL: '', EMBEDDED_PG_DIR: pgDir, EMBEDDED_PG_PORT: String(port) };
    const server = await startShutdownMain(env);
    servers.push(server);
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/matchcast`;
    await shutDownUnderLoad(server, databaseUrl, async (externalId) => {
      // Stopped cleanly with the app: no server left on its files; started again to read them.
      expect(fs.existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
      const restarted = await startEmbeddedPostgres({ dir: pgDir, port, database: 'matchcast', logger: silent });
      try {
        return await countEvents(databaseUrl, externalId);
      } finally {
        await restarted.stop();
      }
    });
  }, 90_000);

  it('gives up at SHUTDOWN_TIMEOUT_MS with a log line and exit 1 when a write cannot finish', async () => {
    const databaseUrl = await freshDatabase();
    const server = await startShutdownMain({
      DATABASE_URL: databaseUrl,
      SHUTDOWN_TIMEOUT_MS: '2000',
      SHUTDOWN_DELAY_MS: '0',
    });
    servers.push(server);
    const { client, matchId, event } = await liveMatch(server, databaseUrl);
    const locker = await lockMatch(databaseUrl, matchId);
    client.request(RecordMatchEventDocument, event(`stuck-${unique()}`)).catch(() => {});
    await untilWaitingOnLock(locker);

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - signalled).toBeLessThan(4000);
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.at(-1)).toMatchObject({
      level: 50,
      msg: expect.stringMatching(/did not finish within SHUTDOWN_TIMEOUT_MS/),
    });
    await locker.query('rollback');
    await locker.end();
  }, 60_000);
});
