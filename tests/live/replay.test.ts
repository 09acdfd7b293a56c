import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Competition } from '../../src/competitions/competition.entity';
import { Season } from '../../src/competitions/season.entity';
import { Match } from '../../src/matches/match.entity';
import { MatchStatus } from '../../src/matches/match.enums';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CancelMatchEventDocument,
  LiveFeedDocument,
  RecordMatchEventDocument,
  ReplayedMatchDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

const root = path.resolve(__dirname, '../..');
let t: TestApp;
let operator: GraphqlClient;
let operatorKey: string;

beforeAll(async () => {
  t = await startTestApp();
  const member = await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
  operatorKey = member.apiKey;
  operator = t.client(operatorKey);
});

/** Runs `npm run replay` as a user would: its exit code, stdout and stderr. */
async function replay(args: string[], key = operatorKey) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/replay.ts', '--url', t.app.url, '--key', key, ...args],
      { cwd: root, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The league's season of today, where a replay creates its match by default. */
async function addSeasonOfToday(league: League): Promise<void> {
  const em = t.app.orm.em.fork();
  const year = new Date().getUTCFullYear();
  em.create(Season, {
    competition: em.getReference(Competition, league.competitionId),
    label: `replay-${unique()}`,
    startDate: `${year - 1}-01-01`,
    endDate: `${year + 1}-12-31`,
  });
  await em.flush();
}

async function finishedImportedMatch(league: League, fullTime: [number, number], halfTime: [number, number]) {
  const [id] = await createMatches(t.app.orm, league, [
    {
      home: league.teams[0]!.id,
      away: league.teams[1]!.id,
      kickoff: new Date('2030-09-01T15:00:00Z'),
      status: MatchStatus.FINISHED,
      homeGoals: fullTime[0],
      awayGoals: fullTime[1],
    },
  ]);
  await t.app.orm.em
    .fork()
    .nativeUpdate(
      Match,
      { id: fromGlobalId(id!).id },
      { halfTimeHomeGoals: halfTime[0], halfTimeAwayGoals: halfTime[1] },
    );
  return id!;
}

describe('npm run replay', () => {
  it("plays an imported match's simulated timeline live through the ingest path, ending in its scores", async () => {
    const league = await createLeague(t.app.orm, 2);
    await addSeasonOfToday(league);
    const source = await finishedImportedMatch(league, [3, 2], [1, 2]);
    const ws = operator.websocket();
    const feed = new Subscription(ws, LiveFeedDocument, {
      filter: { competitions: [toGlobalId('Competition', league.competitionId)] },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 111 minutes of match and break in well under a second of replay.
    const run = await replay(['--match', String(fromGlobalId(source).id), '--speed', '30000', '--seed', '11']);
    expect(run.stderr).toMatch(/replayed match .* \(a simulated timeline, \d+ events\): 3-2/);
    expect(run.code).toBe(0);
    const target = run.stdout.trim();
    expect(target).not.toBe(source);

    const { match } = await operator.data(ReplayedMatchDocument, { id: target });
    expect(match).toMatchObject({
      status: 'FINISHED',
      homeGoals: 3,
      awayGoals: 2,
      halfTimeHomeGoals: 1,
      halfTimeAwayGoals: 2,
      homeTeam: { id: league.teams[0]!.gid },
      awayTeam: { id: league.teams[1]!.gid },
    });
    expect(new Set(match.events.map((e) => e.source))).toEqual(new Set(['simulated']));
    expect(match.latestPrediction).not.toBeNull();

    // Subscribers saw it live: every stored event once, in order, numbered without a gap.
    const deadline = Date.now() + 5000;
    const seen = () => feed.events.filter((u) => u.liveFeed.match.id === target);
    while (seen().length < match.events.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const updates = seen().map((u) => u.liveFeed);
    expect(updates.map((u) => u.sequence)).toEqual(updates.map((_, i) => i + 1));
    const recorded = updates.filter((u) => u.__typename === 'MatchEventRecorded');
    expect(recorded).toHaveLength(match.events.length);
    expect(updates.at(-1)!.match).toMatchObject({ status: 'FINISHED', homeGoals: 3, awayGoals: 2 });
    feed.close();
    await ws.dispose();
  });

  it("replays a match's stored events into a scheduled match, in the order recorded, without the cancelled ones", async () => {
    const league = await createLeague(t.app.orm, 4);
    const [source, into] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
      { home: league.teams[2]!.id, away: league.teams[3]!.id, kickoff: new Date('2030-09-08T15:00:00Z') },
    ]);
    const [home, away] = [league.teams[0]!.gid, league.teams[1]!.gid];
    const sent: [string, number, string?][] = [
      ['KICK_OFF', 0],
      ['GOAL', 10, home],
      ['GOAL', 20, away],
      ['YELLOW_CARD', 30, away],
      ['HALF_TIME', 47],
      ['SECOND_HALF', 46],
      ['GOAL', 60, away],
      ['FULL_TIME', 93],
    ];
    const ids: string[] = [];
    for (const [type, minute, teamId] of sent) {
      const input = { matchId: source!, type: type as never, minute, teamId, source: 'feed', externalId: unique() };
      ids.push((await operator.data(RecordMatchEventDocument, { input })).recordMatchEvent.event.id);
    }
    await operator.data(CancelMatchEventDocument, { id: ids[2]! }); // the away goal of minute 20 ruled out

    const run = await replay(['--match', source!, '--into', into!, '--speed', '30000']);
    expect(run.stderr).toMatch(/\(its stored events, 7 events\): 1-1/);
    expect(run.code).toBe(0);
    const { match } = await operator.data(ReplayedMatchDocument, { id: into! });
    expect(match).toMatchObject({ status: 'FINISHED', homeGoals: 1, awayGoals: 1, halfTimeHomeGoals: 1 });
    const teamOf = (gid?: string) => (gid === home ? league.teams[2]!.gid : gid === away ? league.teams[3]!.gid : null);
    const expected = sent.filter((_, i) => i !== 2).map(([type, minute, teamId]) => [type, minute, teamOf(teamId)]);
    const stored = [...match.events].sort((a, b) => fromGlobalId(a.id).id - fromGlobalId(b.id).id);
    expect(stored.map((e) => [e.type, e.minute, e.team?.id ?? null])).toEqual(expected);
    expect(new Set(stored.map((e) => e.source))).toEqual(new Set(['replay']));
  });

  it('says clearly what is wrong: a match not finished, a target not scheduled, a bad key, no server', async () => {
    const league = await createLeague(t.app.orm, 2);
    const [scheduled] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const notFinished = await replay(['--match', scheduled!]);
    expect(notFinished).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/is SCHEDULED: only a finished match/),
    });

    const other = await createLeague(t.app.orm, 2);
    const finished = await finishedImportedMatch(other, [1, 0], [0, 0]);
    const noSeason = await replay(['--match', finished]);
    expect(noSeason.stderr).toMatch(/has no season that includes .* pass --into/);
    const intoFinished = await replay(['--match', finished, '--into', finished]);
    expect(intoFinished.stderr).toMatch(/is FINISHED: replay into a SCHEDULED match/);

    const badKey = await replay(['--match', finished], 'mc_not_a_real_key_at_all');
    expect(badKey).toMatchObject({ code: 1, stderr: expect.stringMatching(/replay: UNAUTHENTICATED/) });
    const badId = await replay(['--match', 'nonsense']);
    expect(badId.stderr).toMatch(/"nonsense" is not a match id/);
    const noServer = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/replay.ts',
        '--url',
        'http://127.0.0.1:9/graphql',
        '--key',
        operatorKey,
        '--match',
        '1',
      ],
      { cwd: root },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(noServer).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:9/) });
    for (const run of [notFinished, noSeason, intoFinished, badKey, badId]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
