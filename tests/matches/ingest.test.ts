import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { MAX_EVENTS_PER_BATCH } from '../../src/matches/ingest/event-batch';
import { Topic } from '../../src/pubsub/topics';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  IngestMatchEventsDocument,
  MatchDetailDocument,
  RecordMatchEventDocument,
  type RecordMatchEventInput,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let ingest: GraphqlClient;
let league: League;

beforeAll(async () => {
  t = await startTestApp();
  ingest = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey);
  league = await createLeague(t.app.orm, 6);
});

let pair = 0;
async function newMatch(): Promise<{ id: string; home: string; away: string }> {
  const [home, away] = [pair % 6, (pair + 1 + Math.floor(pair / 6)) % 6];
  pair++;
  const [id] = await createMatches(t.app.orm, league, [
    { home: league.teams[home]!.id, away: league.teams[away]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  return { id: id!, home: league.teams[home]!.gid, away: league.teams[away]!.gid };
}

const feed = `feed-${unique()}`;
function ev(
  matchId: string,
  type: RecordMatchEventInput['type'],
  minute: number,
  teamId?: string,
): RecordMatchEventInput {
  return { matchId, type, minute, teamId, source: feed, externalId: `${type}-${minute}-${unique()}` };
}

async function storedEvents(matchGid: string): Promise<{ type: string; minute: number }[]> {
  return t.app.orm.em
    .fork()
    .getConnection()
    .execute('select type, minute from match_event where match_id = ? order by id', [fromGlobalId(matchGid).id]);
}

async function inPlayPredictionCount(matchGid: string): Promise<number> {
  const [{ n }] = await t.app.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>(
      "select count(*)::int as n from prediction where match_id = ? and model_name = 'in-play'",
      [fromGlobalId(matchGid).id],
    );
  return n;
}

describe('ingestMatchEvents', () => {
  it('applies the valid events of a batch in order per match and rejects the others with their own codes', async () => {
    const [a, b, finished] = [await newMatch(), await newMatch(), await newMatch()];
    const setup = [ev(finished.id, 'KICK_OFF', 0), ev(finished.id, 'FULL_TIME', 93)];
    expect((await ingest.data(IngestMatchEventsDocument, { events: setup })).ingestMatchEvents.recorded).toBe(2);

    const events = [
      ev(a.id, 'KICK_OFF', 0),
      ev(b.id, 'KICK_OFF', 0),
      ev(a.id, 'GOAL', 12, a.home),
      ev(toGlobalId('Match', 2_000_000_000), 'KICK_OFF', 0),
      ev(finished.id, 'GOAL', 95, finished.home),
      ev(b.id, 'GOAL', 20, a.home === b.home || a.home === b.away ? league.teams[5]!.gid : a.home),
      ev(a.id, 'YELLOW_CARD', 30, a.away),
      ev(a.id, 'GOAL', 5, a.away),
      { ...ev(a.id, 'GOAL', 33, a.away), matchId: 'not-an-id' },
      ev(b.id, 'GOAL', 31, b.away),
      // Fields out of range reject their event only, as on the webhook.
      ev(b.id, 'YELLOW_CARD', 151, b.home),
      { ...ev(b.id, 'YELLOW_CARD', 40, b.home), externalId: '' },
    ];
    const { ingestMatchEvents } = await ingest.data(IngestMatchEventsDocument, { events });
    expect(ingestMatchEvents.results.map((r) => [r.index, r.outcome, r.error?.code ?? null])).toEqual([
      [0, 'RECORDED', null],
      [1, 'RECORDED', null],
      [2, 'RECORDED', null],
      [3, 'REJECTED', 'NOT_FOUND'],
      [4, 'REJECTED', 'INVALID_STATE'],
      [5, 'REJECTED', 'BAD_USER_INPUT'],
      [6, 'RECORDED', null],
      [7, 'REJECTED', 'OUT_OF_ORDER'],
      [8, 'REJECTED', 'BAD_USER_INPUT'],
      [9, 'RECORDED', null],
      [10, 'REJECTED', 'BAD_USER_INPUT'],
      [11, 'REJECTED', 'BAD_USER_INPUT'],
    ]);
    expect(ingestMatchEvents).toMatchObject({ recorded: 5, duplicates: 0, rejected: 7 });
    expect(ingestMatchEvents.results[10]!.error?.message).toMatch(/minute/);
    expect(ingestMatchEvents.results[6]!.event).toMatchObject({ type: 'YELLOW_CARD', minute: 30, source: feed });

    const { match: stateA } = await ingest.data(MatchDetailDocument, { id: a.id });
    expect(stateA).toMatchObject({ status: 'LIVE', minute: 30, homeGoals: 1, awayGoals: 0 });
    const { match: stateB } = await ingest.data(MatchDetailDocument, { id: b.id });
    expect(stateB).toMatchObject({ status: 'LIVE', homeGoals: 0, awayGoals: 1 });
    expect(await storedEvents(a.id)).toEqual([
      { type: 'KICK_OFF', minute: 0 },
      { type: 'GOAL', minute: 12 },
      { type: 'YELLOW_CARD', minute: 30 },
    ]);
    expect(await storedEvents(finished.id)).toHaveLength(2);
    // Each applied event has its in-play prediction, stored with it.
    expect(await inPlayPredictionCount(a.id)).toBe(3);
  });

  it('gives each event of a batch the in-play prediction it gets when recorded alone', async () => {
    // A batch applies a match's events under one lock, carrying red cards and announced stoppage
    // from one to the next; recorded one by one, each reads them back from the database.
    const [batched, single] = [await newMatch(), await newMatch()];
    const timeline = (m: { id: string; home: string; away: string }) => [
      ev(m.id, 'KICK_OFF', 0),
      ev(m.id, 'RED_CARD', 20, m.home),
      ev(m.id, 'GOAL', 35, m.away),
      ev(m.id, 'HALF_TIME', 46),
      ev(m.id, 'SECOND_HALF', 46),
      ev(m.id, 'SECOND_YELLOW_CARD', 70, m.away),
      { ...ev(m.id, 'ADDED_TIME', 90), addedMinutes: 7 },
      ev(m.id, 'GOAL', 93, m.home),
    ];
    const { ingestMatchEvents } = await ingest.data(IngestMatchEventsDocument, { events: timeline(batched) });
    expect(ingestMatchEvents.recorded).toBe(8);
    for (const input of timeline(single)) await ingest.data(RecordMatchEventDocument, { input });
    const predictions = (m: { id: string }) =>
      t.app.orm.em
        .fork()
        .getConnection()
        .execute<{ in_play_minute: number; home_win: number; draw: number; away_win: number }[]>(
          `select in_play_minute, home_win, draw, away_win from prediction
            where match_id = ? and model_name = 'in-play' order by id`,
          [fromGlobalId(m.id).id],
        );
    const [fromBatch, fromSingles] = [await predictions(batched), await predictions(single)];
    expect(fromBatch).toHaveLength(8);
    expect(fromBatch).toEqual(fromSingles);
  });

  it("writes a match's batched events in one statement, storing what recording them one by one stores", async () => {
    const [batched, single] = [await newMatch(), await newMatch()];
    const timeline = (m: { id: string; home: string; away: string }) => [
      ev(m.id, 'KICK_OFF', 0),
      ev(m.id, 'GOAL', 12, m.home),
      ev(m.id, 'RED_CARD', 30, m.away),
      { ...ev(m.id, 'HALF_TIME', 47), detail: 'whistle' },
      ev(m.id, 'SECOND_HALF', 46),
      ev(m.id, 'GOAL', 60, m.away),
    ];
    t.resetQueries();
    const { ingestMatchEvents } = await ingest.data(IngestMatchEventsDocument, { events: timeline(batched) });
    expect(ingestMatchEvents.recorded).toBe(6);
    expect(t.queries.filter((sql) => /insert into match_event/.test(sql))).toHaveLength(1);
    for (const input of timeline(single)) await ingest.data(RecordMatchEventDocument, { input });

    const sql = t.app.orm.em.fork().getConnection();
    const stored = async (m: { id: string }) => {
      const matchId = fromGlobalId(m.id).id;
      const events = await sql.execute<{ id: number; type: string; minute: number; side: string; detail: string }[]>(
        `select e.id, e.type, e.minute, e.detail,
                case e.team_id when m.home_team_id then 'home' when m.away_team_id then 'away' end as side
           from match_event e join match m on m.id = e.match_id where e.match_id = ? order by e.id`,
        [matchId],
      );
      const predictions = await sql.execute<{ id: number; home_win: number; markets: unknown }[]>(
        "select id, home_win, draw, away_win, in_play_minute, markets from prediction where match_id = ? and model_name = 'in-play' order by id",
        [matchId],
      );
      const live = await sql.execute<{ seq: number; kind: string; payload: Record<string, { id: number }> }[]>(
        'select seq, kind, payload from live_update where match_id = ? order by seq',
        [matchId],
      );
      const audits = await sql.execute<{ n: number }[]>(
        "select count(*)::int as n from audit_log where action = 'match.event.record' and entity_type = 'MatchEvent' and entity_id in (?)",
        [events.map((e) => String(e.id))],
      );
      const [state] = await sql.execute(
        `select status, minute, home_goals, away_goals, half_time_home_goals, half_time_away_goals
           from match where id = ?`,
        [matchId],
      );
      return { events, predictions, live, audits: audits[0]!.n, state };
    };
    const [fromBatch, fromSingles] = [await stored(batched), await stored(single)];
    const withoutIds = (s: typeof fromBatch) => ({
      events: s.events.map(({ id: _, ...rest }) => rest),
      predictions: s.predictions.map(({ id: _, ...rest }) => rest),
      live: s.live.map((u) => [u.seq, u.kind]),
      audits: s.audits,
      state: s.state,
    });
    expect(withoutIds(fromBatch)).toEqual(withoutIds(fromSingles));
    expect(fromBatch.live.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fromBatch.audits).toBe(6);
    // The stored updates name the rows the statement made, as each recorded one does.
    expect(fromBatch.live.map((u) => u.payload.event!.id)).toEqual(fromBatch.events.map((e) => e.id));
    expect(fromBatch.live.map((u) => u.payload.prediction!.id)).toEqual(fromBatch.predictions.map((p) => p.id));
    expect(ingestMatchEvents.results.map((r) => r.event?.id)).toEqual(
      fromBatch.events.map((e) => toGlobalId('MatchEvent', e.id)),
    );
  });

  it("answers a batch that repeats some of a match's events: the repeats DUPLICATE, the new ones in sequence", async () => {
    const m = await newMatch();
    const [kickOff, goal, yellow, second] = [
      ev(m.id, 'KICK_OFF', 0),
      ev(m.id, 'GOAL', 10, m.home),
      ev(m.id, 'YELLOW_CARD', 20, m.away),
      ev(m.id, 'GOAL', 25, m.away),
    ];
    await ingest.data(IngestMatchEventsDocument, { events: [kickOff, goal] });
    const { ingestMatchEvents } = await ingest.data(IngestMatchEventsDocument, {
      events: [goal, yellow, second, yellow],
    });
    expect(ingestMatchEvents.results.map((r) => r.outcome)).toEqual(['DUPLICATE', 'RECORDED', 'RECORDED', 'DUPLICATE']);
    const live = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ seq: number }[]>('select seq from live_update where match_id = ? order by seq', [
        fromGlobalId(m.id).id,
      ]);
    expect(live.map((u) => u.seq)).toEqual([1, 2, 3, 4]);
    const { match } = await ingest.data(MatchDetailDocument, { id: m.id });
    expect(match).toMatchObject({ status: 'LIVE', homeGoals: 1, awayGoals: 1 });
  });

  it('takes a knock-out match through extra time and a shoot-out; no in-play prediction once regular time is over', async () => {
    const m = await newMatch();
    const events = [
      ev(m.id, 'KICK_OFF', 0),
      ev(m.id, 'GOAL', 30, m.home),
      ev(m.id, 'GOAL', 80, m.away),
      ev(m.id, 'EXTRA_TIME_START', 91),
      ev(m.id, 'YELLOW_CARD', 105, m.away),
      ev(m.id, 'SHOOTOUT_START', 120),
      ev(m.id, 'SHOOTOUT_GOAL', 120, m.home),
      ev(m.id, 'SHOOTOUT_GOAL', 120, m.away),
      ev(m.id, 'FULL_TIME', 120),
      ev(m.id, 'SHOOTOUT_GOAL', 120, m.home),
      ev(m.id, 'SHOOTOUT_MISS', 120, m.away),
      ev(m.id, 'FULL_TIME', 120),
    ];
    const { ingestMatchEvents } = await ingest.data(IngestMatchEventsDocument, { events });
    // Full time is refused while the shoot-out is level (1-1), then taken at 2-1.
    expect(ingestMatchEvents.results.map((r) => r.error?.code ?? r.outcome)).toEqual([
      ...Array<string>(8).fill('RECORDED'),
      'INVALID_STATE',
      ...Array<string>(3).fill('RECORDED'),
    ]);
    const { match } = await ingest.data(MatchDetailDocument, { id: m.id });
    expect(match).toMatchObject({ status: 'FINISHED', homeGoals: 1, awayGoals: 1 });
    expect([match!.homeShootoutGoals, match!.awayShootoutGoals]).toEqual([2, 1]);
    expect(await inPlayPredictionCount(m.id)).toBe(3);
  });

  it("announces each event's match state but drops the match's cached row and shared responses once per match", async () => {
    const m = await newMatch();
    const { pubSub } = t.app.deps;
    const counted = (source: AsyncIterableIterator<unknown>) => {
      const seen: unknown[] = [];
      void (async () => {
        for await (const message of source) seen.push(message);
      })();
      return { seen, stop: () => void source.return?.(undefined) };
    };
    const shared = counted(pubSub.subscribe(Topic.SHARED_DATA_CHANGED));
    const states = counted(pubSub.subscribe(Topic.MATCH_UPDATED, fromGlobalId(m.id).id));
    await ingest.data(MatchDetailDocument, { id: m.id }); // the match's row is cached now
    const events = [ev(m.id, 'KICK_OFF', 0), ev(m.id, 'GOAL', 10, m.home), ev(m.id, 'GOAL', 20, m.home)];
    expect((await ingest.data(IngestMatchEventsDocument, { events })).ingestMatchEvents.recorded).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    shared.stop();
    states.stop();
    expect(shared.seen).toHaveLength(1);
    expect(states.seen.map((s) => (s as { homeGoals: number }).homeGoals)).toEqual([0, 1, 2]);
    const { match } = await ingest.data(MatchDetailDocument, { id: m.id });
    expect(match).toMatchObject({ status: 'LIVE', homeGoals: 2 });
  });

  it('answers a repeated batch DUPLICATE for every stored event and changes nothing', async () => {
    const m = await newMatch();
    const events = [ev(m.id, 'KICK_OFF', 0), ev(m.id, 'GOAL', 10, m.away), ev(m.id, 'HALF_TIME', 46)];
    const first = (await ingest.data(IngestMatchEventsDocument, { events })).ingestMatchEvents;
    const again = (await ingest.data(IngestMatchEventsDocument, { events })).ingestMatchEvents;
    expect(first).toMatchObject({ recorded: 3, duplicates: 0 });
    expect(again).toMatchObject({ recorded: 0, duplicates: 3, rejected: 0 });
    expect(again.results.map((r) => r.event?.id)).toEqual(first.results.map((r) => r.event?.id));
    expect(await storedEvents(m.id)).toHaveLength(3);
    const { match } = await ingest.data(MatchDetailDocument, { id: m.id });
    expect(match).toMatchObject({ status: 'HALF_TIME', homeGoals: 0, awayGoals: 1 });
  });

  it(`refuses more than ${MAX_EVENTS_PER_BATCH} events with LIMIT_EXCEEDED and stores none`, async () => {
    const m = await newMatch();
    const events = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => ev(m.id, 'YELLOW_CARD', i % 90, m.home));
    events[0] = ev(m.id, 'KICK_OFF', 0);
    expect(await ingest.errorCodes(IngestMatchEventsDocument, { events })).toEqual(['LIMIT_EXCEEDED']);
    expect(await storedEvents(m.id)).toEqual([]);
  });
});
