import { beforeAll, describe, expect, it } from 'vitest';
import { alertEvaluatorOf } from '../../src/alerts/alert.evaluator';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Match } from '../../src/matches/match.entity';
import { MatchEvent } from '../../src/matches/match-event.entity';
import { AuditLog } from '../../src/tenants/audit-log.entity';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CreateMatchDocument,
  MatchPredictionsDocument,
  MatchDetailDocument,
  RecordMatchEventDocument,
  UpdateMatchDocument,
  type MatchEventType,
} from '../generated/graphql';
import {
  addPrediction,
  createLeague,
  createMatches,
  createMember,
  unique,
  type League,
  type Member,
} from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let adminMember: Member;
let admin: GraphqlClient;
let viewer: GraphqlClient;
let league: League;

beforeAll(async () => {
  t = await startTestApp();
  adminMember = await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
  admin = t.client(adminMember.apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  league = await createLeague(t.app.orm, 6);
});

const kickoff = '2030-09-01T15:00:00.000Z';

async function newMatch(home = 0, away = 1): Promise<string> {
  const [id] = await createMatches(t.app.orm, league, [
    { home: league.teams[home]!.id, away: league.teams[away]!.id, kickoff: new Date(kickoff) },
  ]);
  return id!;
}

async function storedMatch(gid: string) {
  return t.app.orm.em.fork().findOneOrFail(Match, fromGlobalId(gid).id);
}

function event(
  matchId: string,
  type: MatchEventType,
  minute: number,
  teamId?: string,
  extra: { addedMinutes?: number; detail?: string } = {},
) {
  return {
    input: {
      matchId,
      type,
      minute,
      teamId,
      ...extra,
      source: 'test-feed',
      externalId: `${type}-${minute}-${unique()}`,
    },
  };
}

describe('createMatch', () => {
  it('schedules a match for an OPERATOR key and writes an audit entry', async () => {
    const { createMatch } = await admin.data(CreateMatchDocument, {
      input: {
        seasonId: league.seasonGid,
        homeTeamId: league.teams[2]!.gid,
        awayTeamId: league.teams[3]!.gid,
        kickoff,
      },
    });
    expect(createMatch).toMatchObject({ status: 'SCHEDULED', kickoff, homeTeam: { name: league.teams[2]!.name } });
    const audit = await t.app.orm.em
      .fork()
      .findOne(AuditLog, { action: 'match.create', entityId: String(fromGlobalId(createMatch.id).id) });
    expect(audit?.tenant?.id).toBe(adminMember.tenantId);
  });

  it('notes when an API key was last used', async () => {
    const member = await createMember(t.app.orm, Role.VIEWER);
    const before = Date.now();
    await t.client(member.apiKey).request(MatchDetailDocument, { id: toGlobalId('Match', 1) });
    await new Promise((r) => setTimeout(r, 200)); // written after the answer, off the request's path
    const [key] = await t.app.orm.em
      .getConnection()
      .execute(`select k.last_used_at from api_key k join membership m on m.id = k.membership_id where m.user_id = ?`, [
        member.userId,
      ]);
    expect(new Date(key.last_used_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses a VIEWER with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    const input = {
      seasonId: league.seasonGid,
      homeTeamId: league.teams[4]!.gid,
      awayTeamId: league.teams[5]!.gid,
      kickoff,
    };
    expect(await viewer.errorCodes(CreateMatchDocument, { input })).toEqual(['FORBIDDEN']);
    expect(await t.anonymous.errorCodes(CreateMatchDocument, { input })).toEqual(['UNAUTHENTICATED']);
    expect(await t.client('mc_not_a_real_key_at_all').errorCodes(CreateMatchDocument, { input })).toEqual([
      'UNAUTHENTICATED',
    ]);
    const count = await t.app.orm.em
      .fork()
      .count(Match, { homeTeam: league.teams[4]!.id, awayTeam: league.teams[5]!.id });
    expect(count).toBe(0);
  });

  it('rejects a kick-off outside the season', async () => {
    const input = {
      seasonId: league.seasonGid,
      homeTeamId: league.teams[3]!.gid,
      awayTeamId: league.teams[2]!.gid,
      kickoff: '2031-07-15T15:00:00.000Z',
    };
    const response = await admin.request(CreateMatchDocument, { input });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'kickoff' } });
  });

  it('rejects a team playing itself, unknown ids and a duplicate fixture', async () => {
    const same = {
      seasonId: league.seasonGid,
      homeTeamId: league.teams[0]!.gid,
      awayTeamId: league.teams[0]!.gid,
      kickoff,
    };
    expect(await admin.errorCodes(CreateMatchDocument, { input: same })).toEqual(['BAD_USER_INPUT']);
    const unknownTeam = { ...same, awayTeamId: toGlobalId('Team', 999_999_999) };
    expect(await admin.errorCodes(CreateMatchDocument, { input: unknownTeam })).toEqual(['NOT_FOUND']);
    const wrongType = { ...same, seasonId: league.teams[1]!.gid, awayTeamId: league.teams[1]!.gid };
    expect(await admin.errorCodes(CreateMatchDocument, { input: wrongType })).toEqual(['BAD_USER_INPUT']);
    const fixture = {
      seasonId: league.seasonGid,
      homeTeamId: league.teams[1]!.gid,
      awayTeamId: league.teams[0]!.gid,
      kickoff,
    };
    await admin.data(CreateMatchDocument, { input: fixture });
    expect(await admin.errorCodes(CreateMatchDocument, { input: fixture })).toEqual(['CONFLICT']);
  });
});

describe('updateMatch', () => {
  it('refuses an empty change, and moving the kick-off of a finished match', async () => {
    const id = await newMatch(5, 2);
    expect(await admin.errorCodes(UpdateMatchDocument, { id, input: {} })).toEqual(['BAD_USER_INPUT']);
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    await admin.data(RecordMatchEventDocument, event(id, 'FULL_TIME', 90));
    const moved = { id, input: { kickoff: '2030-09-09T15:00:00.000Z' } };
    expect(await admin.errorCodes(UpdateMatchDocument, moved)).toEqual(['INVALID_STATE']);
  });

  it('postpones and moves a match, but will not make it live by hand', async () => {
    const id = await newMatch(2, 4);
    const moved = '2030-09-08T19:45:00.000Z';
    const { updateMatch } = await admin.data(UpdateMatchDocument, {
      id,
      input: { status: 'POSTPONED', kickoff: moved },
    });
    expect(updateMatch).toMatchObject({ status: 'POSTPONED', kickoff: moved });
    expect(await admin.errorCodes(UpdateMatchDocument, { id, input: { status: 'LIVE' } })).toEqual(['BAD_USER_INPUT']);
    expect((await storedMatch(id)).status).toBe('POSTPONED');
  });
});

describe('recordMatchEvent', () => {
  it('derives status and score from events and lists them in order', async () => {
    const id = await newMatch(0, 2);
    const [home, away] = [league.teams[0]!.gid, league.teams[2]!.gid];
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    await admin.data(RecordMatchEventDocument, event(id, 'GOAL', 23, home));
    await admin.data(RecordMatchEventDocument, event(id, 'HALF_TIME', 45));
    await admin.data(RecordMatchEventDocument, event(id, 'SECOND_HALF', 46));
    await admin.data(RecordMatchEventDocument, event(id, 'OWN_GOAL', 70, away));
    const { recordMatchEvent } = await admin.data(RecordMatchEventDocument, event(id, 'FULL_TIME', 93));
    expect(recordMatchEvent.match).toMatchObject({
      status: 'FINISHED',
      minute: 93,
      homeGoals: 1,
      awayGoals: 1,
      halfTimeHomeGoals: 1,
      halfTimeAwayGoals: 0,
    });
    const { match } = await viewer.data(MatchDetailDocument, { id });
    expect(match.events.map((e) => e.type)).toEqual([
      'KICK_OFF',
      'GOAL',
      'HALF_TIME',
      'SECOND_HALF',
      'OWN_GOAL',
      'FULL_TIME',
    ]);
    expect(match.events[1]!.team?.name).toBe(league.teams[0]!.name);
    expect(await storedMatch(id)).toMatchObject({ status: 'FINISHED', homeGoals: 1, awayGoals: 1 });
  });

  it('records an event once when the same (source, externalId) arrives twice', async () => {
    const id = await newMatch(1, 3);
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    const goal = event(id, 'GOAL', 10, league.teams[1]!.gid);
    const first = await admin.data(RecordMatchEventDocument, goal);
    const again = await admin.data(RecordMatchEventDocument, goal);
    expect(first.recordMatchEvent.created).toBe(true);
    expect(again.recordMatchEvent).toMatchObject({ created: false, event: { id: first.recordMatchEvent.event.id } });
    expect(again.recordMatchEvent.match.homeGoals).toBe(1);
    const concurrent = event(id, 'GOAL', 20, league.teams[1]!.gid);
    const results = await Promise.all([1, 2, 3].map(() => admin.data(RecordMatchEventDocument, concurrent)));
    expect(results.filter((r) => r.recordMatchEvent.created)).toHaveLength(1);
    expect((await storedMatch(id)).homeGoals).toBe(2);
  });

  it('treats simultaneous deliveries of one kick-off as one event', async () => {
    const id = await newMatch(3, 0);
    const kickOff = event(id, 'KICK_OFF', 0);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => admin.request(RecordMatchEventDocument, kickOff)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.filter((r) => r.data?.recordMatchEvent.created)).toHaveLength(1);
    expect(await t.app.orm.em.fork().count(MatchEvent, { match: fromGlobalId(id).id })).toBe(1);
  });

  it('refuses to reuse an event key for another match or another kind of event', async () => {
    const first = await newMatch(4, 0);
    const second = await newMatch(5, 1);
    const kickOff = event(first, 'KICK_OFF', 0);
    await admin.data(RecordMatchEventDocument, kickOff);
    const reused = { input: { ...kickOff.input, matchId: second } };
    expect(await admin.errorCodes(RecordMatchEventDocument, reused)).toEqual(['CONFLICT']);
    expect((await storedMatch(second)).status).toBe('SCHEDULED');
  });

  it('rejects a goal recorded after full time and leaves match and events untouched', async () => {
    const id = await newMatch(3, 5);
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    await admin.data(RecordMatchEventDocument, event(id, 'FULL_TIME', 90));
    const response = await admin.request(RecordMatchEventDocument, event(id, 'GOAL', 91, league.teams[3]!.gid));
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' } });
    expect(response.errors?.[0]?.message).toMatch(/finished/);
    expect(await storedMatch(id)).toMatchObject({ status: 'FINISHED', homeGoals: 0, awayGoals: 0 });
    expect(await t.app.orm.em.fork().count(MatchEvent, { match: fromGlobalId(id).id })).toBe(2);
  });

  it('rejects a goal for a team not in the match, a minute out of range, and a VIEWER', async () => {
    const id = await newMatch(4, 5);
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    expect(await admin.errorCodes(RecordMatchEventDocument, event(id, 'GOAL', 5, league.teams[0]!.gid))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const outOfRange = await admin.request(RecordMatchEventDocument, event(id, 'GOAL', 200, league.teams[4]!.gid));
    expect(outOfRange.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(outOfRange.errors?.[0]?.message).toMatch(/minute/);
    expect(await viewer.errorCodes(RecordMatchEventDocument, event(id, 'GOAL', 5, league.teams[4]!.gid))).toEqual([
      'FORBIDDEN',
    ]);
    expect(await storedMatch(id)).toMatchObject({ homeGoals: 0, awayGoals: 0 });
  });
});

describe('in-play predictions', () => {
  it('follow each event from the pre-match expected goals to certainty at full time', async () => {
    const id = await newMatch(0, 5);
    await addPrediction(t.app.orm, fromGlobalId(id).id, { homeWin: 0.45, draw: 0.27, awayWin: 0.28 });
    const kickOff = (await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0))).recordMatchEvent.prediction;
    // At kick-off the in-play prediction is the pre-match one.
    expect(kickOff).toMatchObject({ modelName: 'in-play', inPlayMinute: 0 });
    expect(kickOff!.homeWin).toBeCloseTo(0.45, 9);
    expect(kickOff!.draw).toBeCloseTo(0.27, 9);
    expect(kickOff!.awayWin).toBeCloseTo(0.28, 9);

    const late = (await admin.data(RecordMatchEventDocument, event(id, 'GOAL', 85, league.teams[0]!.gid)))
      .recordMatchEvent.prediction!;
    expect(late.homeWin).toBeGreaterThan(0.85);
    // Markets come from the same final-score distribution: one goal is in, so over 0.5 is certain.
    const { match: withMarkets } = await viewer.data(MatchPredictionsDocument, { id });
    const markets = withMarkets.latestPrediction!.markets!;
    expect(markets.overUnder.find((l) => l.line === 0.5)).toMatchObject({ over: 1, under: 0 });
    expect(markets.topScores[0]).toMatchObject({ homeGoals: 1, awayGoals: 0 });
    expect(markets.bothTeamsToScore.yes + markets.bothTeamsToScore.no).toBeCloseTo(1, 9);
    const level = markets.asianHandicap.find((l) => l.line === -1)!;
    expect(level.home + level.push + level.away).toBeCloseTo(1, 9);
    const redCard = (await admin.data(RecordMatchEventDocument, event(id, 'RED_CARD', 86, league.teams[0]!.gid)))
      .recordMatchEvent.prediction!;
    expect(redCard.homeWin).toBeLessThan(late.homeWin);

    // Deep into stoppage time, the match is not over until the whistle.
    const stoppage = (await admin.data(RecordMatchEventDocument, event(id, 'GOAL', 100, league.teams[5]!.gid)))
      .recordMatchEvent.prediction!;
    expect(stoppage.homeWin + stoppage.awayWin).toBeGreaterThan(0.01);
    expect(stoppage.draw).toBeLessThan(0.99);
    const fullTime = (await admin.data(RecordMatchEventDocument, event(id, 'FULL_TIME', 101))).recordMatchEvent
      .prediction!;
    expect(fullTime).toMatchObject({ homeWin: 0, draw: 1, awayWin: 0, inPlayMinute: 101 });
    const { match } = await viewer.data(MatchDetailDocument, { id });
    expect(match.latestPrediction?.modelName).toBe('in-play');
    expect(match.predictions).toHaveLength(6);
  });

  it('count a second yellow as a sending-off and the announced added time as the time left', async () => {
    const own = await createLeague(t.app.orm, 4);
    const pairs = [
      [0, 1],
      [1, 0],
      [2, 3],
      [3, 2],
    ] as const;
    const [withSecondYellow, withRed, oneAdded, tenAdded] = await createMatches(
      t.app.orm,
      own,
      pairs.map(([home, away]) => ({
        home: own.teams[home]!.id,
        away: own.teams[away]!.id,
        kickoff: new Date(kickoff),
      })),
    );
    for (const id of [withSecondYellow!, withRed!])
      await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    const [withSecondYellowHome, withRedHome] = [own.teams[0]!.gid, own.teams[1]!.gid];
    const booked = (
      await admin.data(RecordMatchEventDocument, event(withSecondYellow!, 'YELLOW_CARD', 20, withSecondYellowHome))
    ).recordMatchEvent;
    expect(booked.match).toMatchObject({ status: 'LIVE', minute: 20, homeGoals: 0, awayGoals: 0 });
    const yellowOff = (
      await admin.data(
        RecordMatchEventDocument,
        event(withSecondYellow!, 'SECOND_YELLOW_CARD', 30, withSecondYellowHome),
      )
    ).recordMatchEvent.prediction!;
    const redOff = (await admin.data(RecordMatchEventDocument, event(withRed!, 'RED_CARD', 30, withRedHome)))
      .recordMatchEvent.prediction!;
    expect(yellowOff.homeWin).toBeCloseTo(redOff.homeWin, 12);
    expect(yellowOff.homeWin).toBeLessThan(booked.prediction!.homeWin);

    // Level at 90 minutes: one added minute leaves less for a winner than ten.
    const boards = (
      [
        [oneAdded!, 1],
        [tenAdded!, 10],
      ] as const
    ).map(async ([id, addedMinutes]) => {
      for (const [type, minute] of [
        ['KICK_OFF', 0],
        ['HALF_TIME', 45],
        ['SECOND_HALF', 45],
      ] as const) {
        await admin.data(RecordMatchEventDocument, event(id, type, minute));
      }
      const { recordMatchEvent } = await admin.data(
        RecordMatchEventDocument,
        event(id, 'ADDED_TIME', 90, undefined, { addedMinutes, detail: `+${addedMinutes}` }),
      );
      return recordMatchEvent.prediction!.draw;
    });
    const [drawAfterOne, drawAfterTen] = await Promise.all(boards);
    expect(drawAfterOne).toBeGreaterThan(drawAfterTen!);
  });

  it('counts every one of many events of one match sent at once, each seeing the match as the one before left it', async () => {
    const id = await newMatch(2, 5);
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    const goals = Array.from({ length: 12 }, (_, i) =>
      admin.data(RecordMatchEventDocument, event(id, 'GOAL', 10 + i, league.teams[2]!.gid)),
    );
    const answers = await Promise.all(goals);
    expect(answers.every((a) => a.recordMatchEvent.created)).toBe(true);
    expect((await storedMatch(id)).homeGoals).toBe(12);
    // The feed: numbered 1..13 without a gap, each goal's update one goal on from the last.
    const updates = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ seq: number; goals: number }[]>(
        "select seq, (payload->'match'->>'homeGoals')::int as goals from live_update where match_id = ? order by seq",
        [fromGlobalId(id).id],
      );
    expect(updates.map((u) => u.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(updates.map((u) => u.goals)).toEqual(Array.from({ length: 13 }, (_, i) => i));
  });

  it('are stored with the event, the new score and the audit row in one write after one read', async () => {
    const id = await newMatch(1, 2);
    await admin.data(RecordMatchEventDocument, event(id, 'KICK_OFF', 0));
    // The kick-off's prediction is evaluated against alert rules after its answer: not this write's work.
    await alertEvaluatorOf(t.app.deps).idle();
    t.resetQueries();
    const { recordMatchEvent } = await admin.data(
      RecordMatchEventDocument,
      event(id, 'GOAL', 12, league.teams[1]!.gid),
    );
    // Ingest is a hot path: begin, the locked match with the model's inputs, every write, commit
    // (the answer's selection reads the event's team afterwards).
    const kinds = t.queries.map((sql) => sql.trim().split(/\s+/)[0]!.toLowerCase());
    expect(kinds.slice(0, kinds.indexOf('commit') + 1)).toEqual(['begin', 'select', 'with', 'commit']);
    expect(recordMatchEvent).toMatchObject({ created: true, match: { homeGoals: 1, awayGoals: 0 } });
    const audited = await t.app.orm.em.fork().count(AuditLog, {
      action: 'match.event.record',
      entityId: fromGlobalId(recordMatchEvent.event.id).id.toString(),
    });
    expect(audited).toBe(1);
    // The stored row is the prediction the mutation answered with, markets included.
    const { match } = await viewer.data(MatchPredictionsDocument, { id });
    const returned = recordMatchEvent.prediction!;
    expect(match.latestPrediction).toMatchObject({
      modelName: 'in-play',
      inPlayMinute: 12,
      homeWin: returned.homeWin,
      draw: returned.draw,
      awayWin: returned.awayWin,
    });
    expect(match.latestPrediction!.markets!.overUnder.find((l) => l.line === 0.5)).toMatchObject({ over: 1, under: 0 });
  });
});
