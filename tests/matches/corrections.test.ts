import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CancelMatchEventDocument,
  CorrectMatchEventDocument,
  IngestMatchEventsDocument,
  MatchEventsDocument,
  MatchUpdatedDocument,
  type RecordMatchEventInput,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let feed: GraphqlClient;
let league: League;
let pair = 0;

beforeAll(async () => {
  t = await startTestApp();
  feed = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey);
  league = await createLeague(t.app.orm, 10);
});

/** A live match with the given events recorded; returns its id, teams and the events' ids. */
async function liveMatch(events: (m: { id: string; home: string; away: string }) => RecordMatchEventInput[]) {
  const [home, away] = [pair, pair + 1];
  pair += 2;
  const [id] = await createMatches(t.app.orm, league, [
    { home: league.teams[home]!.id, away: league.teams[away]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  const m = { id: id!, home: league.teams[home]!.gid, away: league.teams[away]!.gid };
  const { ingestMatchEvents } = await feed.data(IngestMatchEventsDocument, { events: events(m) });
  expect(ingestMatchEvents.rejected).toBe(0);
  return { ...m, eventIds: ingestMatchEvents.results.map((r) => r.event!.id) };
}

const ev = (matchId: string, type: RecordMatchEventInput['type'], minute: number, teamId?: string) => ({
  matchId,
  type,
  minute,
  teamId,
  source: 'corrections',
  externalId: unique(),
});

describe('corrections', () => {
  it('takes back a goal ruled out: score and in-play prediction recomputed, stored, listed and pushed', async () => {
    const m = await liveMatch((x) => [
      ev(x.id, 'KICK_OFF', 0),
      ev(x.id, 'GOAL', 10, x.home),
      ev(x.id, 'GOAL', 20, x.away),
    ]);
    const ws = feed.websocket();
    const updates = new Subscription(ws, MatchUpdatedDocument, { matchId: m.id });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { cancelMatchEvent } = await feed.data(CancelMatchEventDocument, { id: m.eventIds[1]! });
      expect(cancelMatchEvent.match).toMatchObject({ status: 'LIVE', minute: 20, homeGoals: 0, awayGoals: 1 });
      expect(cancelMatchEvent.event.cancelledAt).not.toBeNull();
      expect(cancelMatchEvent.created).toBe(false);
      expect(cancelMatchEvent.prediction!.awayWin).toBeGreaterThan(cancelMatchEvent.prediction!.homeWin);
      const [pushed] = await updates.waitFor(1);
      expect(pushed!.matchUpdated).toMatchObject({ homeGoals: 0, awayGoals: 1 });
    } finally {
      updates.close();
      await ws.dispose();
    }
    const { match } = await feed.data(MatchEventsDocument, { id: m.id });
    expect(match).toMatchObject({ homeGoals: 0, awayGoals: 1 });
    expect(match.events.map((e) => [e.type, e.cancelledAt !== null])).toEqual([
      ['KICK_OFF', false],
      ['GOAL', true],
      ['GOAL', false],
    ]);
    // Cancelled once only; a re-delivery of its key changes nothing.
    expect(await feed.errorCodes(CancelMatchEventDocument, { id: m.eventIds[1]! })).toEqual(['INVALID_STATE']);
  });

  it("fixes the wrong scorer's team and a rescinded red card's effect on the prediction", async () => {
    const m = await liveMatch((x) => [
      ev(x.id, 'KICK_OFF', 0),
      ev(x.id, 'GOAL', 10, x.home),
      ev(x.id, 'RED_CARD', 30, x.home),
    ]);
    const { correctMatchEvent } = await feed.data(CorrectMatchEventDocument, {
      id: m.eventIds[1]!,
      input: { teamId: m.away },
    });
    expect(correctMatchEvent.match).toMatchObject({ homeGoals: 0, awayGoals: 1 });
    expect(correctMatchEvent.created).toBe(false);
    expect(correctMatchEvent.event.team!.name).toBe(league.teams[pair - 1]!.name);
    const withRed = correctMatchEvent.prediction!.homeWin;
    const { cancelMatchEvent } = await feed.data(CancelMatchEventDocument, { id: m.eventIds[2]! });
    expect(cancelMatchEvent.prediction!.homeWin).toBeGreaterThan(withRed);
  });

  it('refuses a correction that leaves an impossible match, a team not in it and an unknown event, changing nothing', async () => {
    const m = await liveMatch((x) => [ev(x.id, 'KICK_OFF', 0), ev(x.id, 'GOAL', 10, x.home)]);
    expect(await feed.errorCodes(CancelMatchEventDocument, { id: m.eventIds[0]! })).toEqual(['INVALID_STATE']);
    expect(
      await feed.errorCodes(CorrectMatchEventDocument, { id: m.eventIds[1]!, input: { teamId: league.teams[7]!.gid } }),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await feed.errorCodes(CancelMatchEventDocument, { id: toGlobalId('MatchEvent', 2_000_000_000) })).toEqual([
      'NOT_FOUND',
    ]);
    const { match } = await feed.data(MatchEventsDocument, { id: m.id });
    expect(match).toMatchObject({ homeGoals: 1, awayGoals: 0 });
    expect(match.events.every((e) => e.cancelledAt === null)).toBe(true);
  });

  it('refuses a correction that changes nothing (empty, or the values the event has), storing and pushing nothing', async () => {
    const m = await liveMatch((x) => [ev(x.id, 'KICK_OFF', 0), ev(x.id, 'GOAL', 10, x.home)]);
    const goal = m.eventIds[1]!;
    const ws = feed.websocket();
    const updates = new Subscription(ws, MatchUpdatedDocument, { matchId: m.id });
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const input of [{}, { minute: 10 }, { type: 'GOAL' as const, teamId: m.home }]) {
      expect(await feed.errorCodes(CorrectMatchEventDocument, { id: goal, input })).toEqual(['BAD_USER_INPUT']);
    }
    const [row] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ corrected_at: Date | null; updates: number }[]>(
        `select e.corrected_at, (select count(*)::int from live_update u where u.match_id = e.match_id) as updates
           from match_event e where e.id = ?`,
        [Number(fromGlobalId(goal).id)],
      );
    expect(row!.corrected_at).toBeNull();
    expect(row!.updates).toBe(2);
    // A real correction is the first thing the subscriber hears of the match.
    await feed.data(CorrectMatchEventDocument, { id: goal, input: { minute: 11 } });
    await updates.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(updates.events).toHaveLength(1);
    await ws.dispose();
  });

  it("answers a re-delivered key of a corrected event DUPLICATE with the event as corrected; another event's key stays CONFLICT", async () => {
    const m = await liveMatch((x) => [ev(x.id, 'KICK_OFF', 0)]);
    const goal = ev(m.id, 'GOAL', 10, m.home);
    const card = ev(m.id, 'YELLOW_CARD', 12, m.away);
    const { ingestMatchEvents: first } = await feed.data(IngestMatchEventsDocument, { events: [goal, card] });
    const { correctMatchEvent } = await feed.data(CorrectMatchEventDocument, {
      id: first.results[0]!.event!.id,
      input: { type: 'PENALTY_GOAL' },
    });
    expect(correctMatchEvent.event).toMatchObject({ type: 'PENALTY_GOAL', correctedAt: expect.any(String) });
    const { ingestMatchEvents: again } = await feed.data(IngestMatchEventsDocument, {
      events: [goal, { ...card, type: 'RED_CARD' }],
    });
    expect(again.results.map((r) => [r.outcome, r.error?.code ?? null, r.event?.type ?? null])).toEqual([
      ['DUPLICATE', null, 'PENALTY_GOAL'],
      ['REJECTED', 'CONFLICT', null],
    ]);
    const { match } = await feed.data(MatchEventsDocument, { id: m.id });
    expect(match!.homeGoals).toBe(1);
  });
});
