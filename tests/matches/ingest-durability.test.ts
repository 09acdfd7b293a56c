import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { createOrm, type Orm } from '../../src/db/orm';
import { MatchEventType } from '../../src/matches/match.enums';
import { replayEvents, type Side } from '../../src/matches/match-state';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { IngestMatchEventsDocument, type RecordMatchEventInput } from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { GraphqlClient } from '../support/graphql-client';
import { startMainProcess, type MainProcess } from '../support/main-process';

const MATCHES = 20;
const EVENTS_PER_MATCH = 40;
const BATCH = 100;

let orm: Orm;
let db: Client;
let league: League;
let matchIds: string[];
let apiKey: string;
const servers: MainProcess[] = [];

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: inject('databaseUrl') });
  db = new Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  league = await createLeague(orm, 2 * MATCHES);
  matchIds = await createMatches(
    orm,
    league,
    Array.from({ length: MATCHES }, (_, i) => ({
      home: league.teams[2 * i]!.id,
      away: league.teams[2 * i + 1]!.id,
      kickoff: new Date('2030-09-01T15:00:00Z'),
    })),
  );
  apiKey = (await createMember(orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey;
});

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await db.end();
  await orm.close();
});

/** Each match's timeline: kick-off, then goals and cards a minute apart, half time at 45. */
function timelineOf(matchIndex: number, run: string): RecordMatchEventInput[] {
  const matchId = matchIds[matchIndex]!;
  const home = league.teams[2 * matchIndex]!.gid;
  const away = league.teams[2 * matchIndex + 1]!.gid;
  const events: RecordMatchEventInput[] = [{ matchId, type: 'KICK_OFF', minute: 0, externalId: `${run}-0` }];
  for (let n = 1; n < EVENTS_PER_MATCH; n++) {
    const minute = n < 30 ? n : n + 20; // 30–39 fall in the second half
    if (n === 30) events.push({ matchId, type: 'HALF_TIME', minute: 45, externalId: `${run}-ht` });
    if (n === 30) events.push({ matchId, type: 'SECOND_HALF', minute: 46, externalId: `${run}-sh` });
    const type = n % 3 === 0 ? 'YELLOW_CARD' : 'GOAL';
    events.push({ matchId, type, minute, teamId: n % 2 ? home : away, externalId: `${run}-${n}` });
  }
  return events;
}

/** Every match's events, interleaved, in batches (each match's in order). */
function batchesOf(run: string): RecordMatchEventInput[][] {
  const timelines = matchIds.map((_, i) => timelineOf(i, `${run}-m${i}`));
  const all: RecordMatchEventInput[] = [];
  for (let n = 0; timelines.some((t) => n < t.length); n++) {
    for (const timeline of timelines) if (n < timeline.length) all.push(timeline[n]!);
  }
  const batches: RecordMatchEventInput[][] = [];
  for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH));
  return batches;
}

async function start(): Promise<GraphqlClient> {
  const server = await startMainProcess({
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: '',
    MIGRATE_ON_START: 'false',
  });
  servers.push(server);
  return new GraphqlClient(server.url, apiKey);
}

interface StoredEvent {
  id: number;
  match_id: number;
  type: MatchEventType;
  minute: number;
  team_id: number | null;
  source: string;
  external_id: string;
}

describe('an acknowledged event survives the server being killed mid-batch', () => {
  it(
    'is stored once, and every match, its live feed and its in-play predictions equal a replay of its stored events',
    { timeout: 180_000 },
    async () => {
      const run = `kill-${unique()}`;
      const batches = batchesOf(run);
      let client = await start();
      const acknowledged = new Set<string>();
      // Three batches answered, then the fourth killed in flight.
      for (const batch of batches.slice(0, 3)) {
        const { ingestMatchEvents } = await client.data(IngestMatchEventsDocument, { events: withSource(batch, run) });
        expect(ingestMatchEvents.rejected).toBe(0);
        for (const event of batch) acknowledged.add(event.externalId);
      }
      const inFlight = client
        .request(IngestMatchEventsDocument, { events: withSource(batches[3]!, run) })
        .catch(() => null);
      // Killed once part of it is committed: mid-batch, not before it or after it.
      const cutShort = new Set(batches[3]!.map((e) => e.externalId));
      const storedOfCutShort = async () =>
        (
          await db.query<{ external_id: string }>('select external_id from match_event where source = $1', [run])
        ).rows.filter((row) => cutShort.has(row.external_id)).length;
      for (let tries = 0; tries < 500 && (await storedOfCutShort()) === 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      servers.at(-1)!.child.kill('SIGKILL');
      await servers.at(-1)!.exited;
      expect(await inFlight).toBeNull(); // the answer is lost with the process
      const storedBeforeRestart = await storedOfCutShort();
      expect(storedBeforeRestart).toBeGreaterThan(0);
      expect(storedBeforeRestart).toBeLessThan(BATCH);

      client = await start();
      for (const batch of batches.slice(3)) {
        const { ingestMatchEvents } = await client.data(IngestMatchEventsDocument, { events: withSource(batch, run) });
        expect(ingestMatchEvents.rejected).toBe(0);
      }
      // The batch cut short, sent again as a provider would: all of it stored once.
      const { ingestMatchEvents: resent } = await client.data(IngestMatchEventsDocument, {
        events: withSource(batches[3]!, run),
      });
      expect(resent.rejected).toBe(0);

      const stored = (
        await db.query<StoredEvent>(
          `select id, match_id, type, minute, team_id, source, external_id from match_event
          where source = $1 order by match_id, id`,
          [run],
        )
      ).rows;
      const keys = stored.map((e) => e.external_id);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of acknowledged) expect(keys).toContain(key);
      expect(stored).toHaveLength(batches.flat().length);

      for (const [index, gid] of matchIds.entries()) {
        const matchId = Number(fromGlobalId(gid).id);
        const events = stored.filter((e) => e.match_id === matchId);
        const homeTeam = league.teams[2 * index]!.id;
        const replayed = replayEvents(
          events.map((e) => ({
            type: e.type,
            minute: e.minute,
            side: (e.team_id === null ? null : e.team_id === homeTeam ? 'home' : 'away') as Side | null,
            cancelled: false,
          })),
        );
        const {
          rows: [match],
        } = await db.query(
          'select status, minute, home_goals, away_goals, half_time_home_goals, half_time_away_goals from match where id = $1',
          [matchId],
        );
        expect(match).toEqual({
          status: replayed.status,
          minute: replayed.minute,
          home_goals: replayed.homeGoals,
          away_goals: replayed.awayGoals,
          half_time_home_goals: replayed.halfTimeHomeGoals,
          half_time_away_goals: replayed.halfTimeAwayGoals,
        });
        // One live-feed update per event, numbered 1..n, naming the events in their order.
        const updates = (
          await db.query<{ seq: number; event_id: number; prediction_id: number | null }>(
            `select seq, (payload->'event'->>'id')::int as event_id, (payload->'prediction'->>'id')::int as prediction_id
             from live_update where match_id = $1 order by seq`,
            [matchId],
          )
        ).rows;
        expect(updates.map((u) => u.seq)).toEqual(events.map((_, i) => i + 1));
        expect(updates.map((u) => u.event_id)).toEqual(events.map((e) => e.id));
        // Each event in play made exactly one in-play prediction, the one its update names.
        const predictions = (
          await db.query<{ id: number }>(
            `select id from prediction where match_id = $1 and model_name = 'in-play' order by id`,
            [matchId],
          )
        ).rows.map((p) => p.id);
        expect(updates.flatMap((u) => (u.prediction_id === null ? [] : [u.prediction_id]))).toEqual(predictions);
        expect(predictions.length).toBe(events.length);
      }
    },
  );
});

function withSource(batch: RecordMatchEventInput[], source: string): RecordMatchEventInput[] {
  return batch.map((event) => ({ ...event, source }));
}
