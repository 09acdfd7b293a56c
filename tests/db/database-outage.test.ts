import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { print, type FormattedExecutionResult } from 'graphql';
import { Client } from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/db/embedded-postgres';
import { idOf } from '../../src/common/global-id';
import { MatchStatus } from '../../src/matches/match.enums';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { CompetitionsDocument, RecordMatchEventDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, unique } from '../support/factories';
import { freePort } from '../support/free-port';
import { startTestApp } from '../support/test-app';
import { post, type RawResponse } from '../quotas/plans';

// A PostgreSQL of this test's own: stopping the shared server would break every other test.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-outage-'));
fs.chmodSync(dir, 0o755);
const pgOptions = { dir: path.join(dir, 'data'), database: 'matchcast', logger: pino({ level: 'silent' }) };
let postgres: EmbeddedPostgresHandle | null = null;

afterAll(async () => {
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Answer = RawResponse;

async function readyStatus(url: string): Promise<number> {
  return (await fetch(url.replace('/graphql', '/readyz'))).status;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a database restart under a stream of events', () => {
  it('refuses with SERVICE_UNAVAILABLE (503, Retry-After) while it is away, loses nothing acknowledged and recovers', async () => {
    const port = await freePort();
    postgres = await startEmbeddedPostgres({ ...pgOptions, port });
    const logLines: Record<string, unknown>[] = [];
    // Keys stay cached through the outage: the refusals then come from the mutation itself.
    const t = await startTestApp(
      { databaseUrl: postgres.url, migrateOnStart: true, redisUrl: undefined, authCacheTtlSeconds: 300 },
      { logLines, logLevel: 'info' },
    );
    const operator = await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
    const unseen = await createMember(t.app.orm, Role.VIEWER);
    const league = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date(), status: MatchStatus.LIVE },
    ]);
    const ws = t.client(operator.apiKey).websocket();
    const wsRequest = (query: string, variables: Record<string, unknown>) =>
      new Promise<FormattedExecutionResult<Record<string, unknown>, unknown>>((resolve, reject) => {
        let result: FormattedExecutionResult<Record<string, unknown>, unknown> = {};
        ws.subscribe(
          { query, variables },
          { next: (value) => (result = value), error: reject, complete: () => resolve(result) },
        );
      });
    expect((await wsRequest(print(CompetitionsDocument), {})).errors).toBeUndefined();

    const mutation = print(RecordMatchEventDocument);
    const acknowledged: string[] = [];
    const refused: Answer[] = [];
    let sent = 0;
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        const externalId = `outage-${unique()}`;
        const input = {
          matchId,
          type: 'RED_CARD',
          minute: Math.min(1 + sent, 90),
          teamId: league.teams[sent % 2]!.gid,
          source: 'outage-test',
          externalId,
        };
        sent += 1;
        const answer = await post(t.app.url, operator.apiKey, mutation, { input });
        // Acknowledged: the event came back. A field read after the commit (the team's name) may
        // still fail as the database goes away: partial data, as the spec says, but recorded.
        const recorded = (answer.body.data as { recordMatchEvent?: unknown } | null | undefined)?.recordMatchEvent;
        if (answer.status === 200 && recorded) acknowledged.push(externalId);
        else refused.push(answer);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    await waitFor(async () => acknowledged.length >= 5, 10_000, 'events before the outage');
    await postgres.stop();
    await waitFor(async () => refused.length >= 3, 10_000, 'refusals during the outage');
    expect(await readyStatus(t.app.url)).toBe(503);
    const overWs = await wsRequest(mutation, {
      input: {
        matchId,
        type: 'RED_CARD',
        minute: 90,
        teamId: league.teams[0]!.gid,
        source: 'ws',
        externalId: unique(),
      },
    });
    expect(overWs.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryAfter: expect.any(Number),
    });
    // A key the server has not seen is refused the same way (the database cannot check it).
    const unchecked = await post(t.app.url, unseen.apiKey, '{ competitions { code } }', {});
    expect([unchecked.status, unchecked.retryAfter, unchecked.body.errors?.[0]?.extensions?.code]).toEqual([
      503,
      '3',
      'SERVICE_UNAVAILABLE',
    ]);

    // Over WebSocket too: a socket whose key cannot be checked is told to try again later.
    const closed = new Promise<number>((resolve) => {
      const socket = t.client(unseen.apiKey).websocket({ onClosed: (event) => resolve(event.code) });
      socket.subscribe({ query: '{ competitions { code } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    expect(await closed).toBe(1013);

    postgres = await startEmbeddedPostgres({ ...pgOptions, port });
    await waitFor(async () => (await readyStatus(t.app.url)) === 200, 20_000, '/readyz back to 200');
    const afterRestart = acknowledged.length;
    await waitFor(async () => acknowledged.length >= afterRestart + 5, 10_000, 'events after the restart');
    streaming = false;
    await stream;
    await ws.dispose();

    // What went unrecognised, should a refusal not be SERVICE_UNAVAILABLE.
    const unexpected = logLines.filter((l) => l.msg === 'unexpected GraphQL error').map((l) => l.err);
    for (const answer of refused) {
      expect({ status: answer.status, retryAfter: answer.retryAfter }, JSON.stringify(unexpected)).toEqual({
        status: 503,
        retryAfter: '3',
      });
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryAfter: 3,
        requestId: answer.requestId,
      });
    }
    // The warning of a refused request carries that request's id, and so does its operation line.
    const warned = new Set(logLines.filter((l) => l.msg === 'database unavailable').map((l) => l.requestId));
    expect(refused.some((answer) => warned.has(answer.requestId))).toBe(true);
    const operations = logLines.filter((l) => l.msg === 'graphql operation');
    expect(operations.filter((l) => l.requestId === refused[0]!.requestId)).toEqual([
      expect.objectContaining({ operationName: 'RecordMatchEvent', errorCodes: ['SERVICE_UNAVAILABLE'] }),
    ]);
    // Refused before it ran (its key could not be checked): one line all the same.
    expect(operations.filter((l) => l.requestId === unchecked.requestId)).toEqual([
      expect.objectContaining({ outcome: 'error', errorCodes: ['SERVICE_UNAVAILABLE'] }),
    ]);

    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query<{ external_id: string; copies: number }>(
      `select external_id, count(*)::int as copies from match_event where match_id = $1 and source = 'outage-test'
        group by external_id`,
      [idOf('Match', matchId!)],
    );
    await client.end();
    const stored = new Map(rows.map((row) => [row.external_id, row.copies]));
    expect(acknowledged.every((id) => stored.get(id) === 1)).toBe(true);
    expect(rows.every((row) => row.copies === 1)).toBe(true);
    expect(acknowledged.length + refused.length).toBe(sent);
    expect(await readyStatus(t.app.url)).toBe(200);
  }, 90_000);
});
