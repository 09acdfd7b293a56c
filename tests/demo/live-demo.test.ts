import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toGlobalId } from '../../src/common/global-id';
import { DEMO_BOOKMAKER, DEMO_SEASON_PREFIX, startLiveDemo } from '../../src/demo/live-demo';
import { Match } from '../../src/matches/match.entity';
import { MatchStatus } from '../../src/matches/match.enums';
import { loadHistory } from '../../src/predictions/history';
import { Role } from '../../src/tenants/role';
import { LiveFeedDocument, ReplayedMatchDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let viewer: GraphqlClient;

beforeAll(async () => {
  t = await startTestApp();
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
});

/** A league whose latest season has been played: the teams the demo draws from. */
async function playedLeague(): Promise<League> {
  const league = await createLeague(t.app.orm, 6);
  const [a, b, c, d, e, f] = league.teams.map((team) => team.id);
  const played = (home: number, away: number) => ({
    home,
    away,
    kickoff: new Date('2030-09-01T15:00:00Z'),
    status: MatchStatus.FINISHED,
    homeGoals: 1,
    awayGoals: 0,
  });
  await createMatches(t.app.orm, league, [played(a!, b!), played(c!, d!), played(e!, f!)]);
  return league;
}

const demoMatches = (league: League) =>
  t.app.orm.em
    .fork()
    .find(
      Match,
      { season: { competition: league.competitionId, label: { $like: `${DEMO_SEASON_PREFIX}%` } } },
      { orderBy: { id: 'asc' } },
    );

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('the live demo', () => {
  it('keeps staggered simulated matches in play that a liveFeed client sees move, with prices', async () => {
    const league = await playedLeague();
    const ws = viewer.websocket();
    const feed = new Subscription(ws, LiveFeedDocument, {
      filter: { competitions: [toGlobalId('Competition', league.competitionId)] },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 115 match minutes (the break included) in 1.15 s: a few matches in a few seconds.
    const demo = await startLiveDemo(t.app.deps, { speed: 6000, matches: 2, competition: league.code });
    await until(
      async () => (await demoMatches(league)).filter((m) => m.status === MatchStatus.FINISHED).length >= 3,
      20_000,
    );
    await demo.stop();
    // Pushes trail the commits (more so on a busy machine): wait for each finished match's last update.
    const finishedIds = (await demoMatches(league))
      .filter((m) => m.status === MatchStatus.FINISHED)
      .map((m) => toGlobalId('Match', m.id));
    await until(
      () =>
        finishedIds.every((gid) =>
          feed.events.some((e) => e.liveFeed.match.id === gid && e.liveFeed.match.status === MatchStatus.FINISHED),
        ),
      10_000,
    );
    await ws.dispose();

    const matches = await demoMatches(league);
    const finished = matches.filter((m) => m.status === MatchStatus.FINISHED);
    expect(finished.length).toBeGreaterThanOrEqual(3);
    // Two lanes, a half-match apart: kick-offs alternate 0.575 s after one another.
    const gaps = matches.slice(1, 4).map((m, i) => m.kickoff.getTime() - matches[i]!.kickoff.getTime());
    for (const gap of gaps) expect(gap).toBeGreaterThan(400);
    for (const gap of gaps) expect(gap).toBeLessThan(800);

    const updates = feed.events.map((e) => e.liveFeed);
    for (const match of finished) {
      const gid = toGlobalId('Match', match.id);
      const own = updates.filter((u) => u.match.id === gid);
      expect(own.map((u) => u.sequence)).toEqual(own.map((_, i) => i + 1));
      expect(own.some((u) => u.__typename === 'MatchEventRecorded')).toBe(true);
      const priced = own.filter((u) => u.__typename === 'PricesMoved');
      // Prices move after each moment's events and, between them, every two match minutes: a
      // client that subscribes between two events still sees the match move.
      // (A move straight after another one is such a quote: a moment's events move it only once.
      // Counting moves against events depended on the day's random timelines.)
      expect(priced.length).toBeGreaterThan(0);
      const quotedBetween = own.some(
        (u, i) => u.__typename === 'PricesMoved' && own[i - 1]?.__typename === 'PricesMoved',
      );
      expect(quotedBetween).toBe(true);
      const { match: stored } = await viewer.data(ReplayedMatchDocument, { id: gid });
      expect(new Set(stored.events.map((e) => e.source))).toEqual(new Set(['simulated']));
      expect(stored.latestPrediction?.modelName).toBe('in-play');
      const goals = (teamId: string) =>
        stored.events.filter((e) => ['GOAL', 'OWN_GOAL', 'PENALTY_GOAL'].includes(e.type) && e.team?.id === teamId)
          .length;
      expect([stored.homeGoals, stored.awayGoals]).toEqual([goals(stored.homeTeam.id), goals(stored.awayTeam.id)]);
    }
    const prices = updates.flatMap((u) => (u.__typename === 'PricesMoved' ? u.odds : []));
    for (const odds of prices) {
      expect(odds.bookmaker).toBe(DEMO_BOOKMAKER);
      const overround = odds.prices.reduce((sum, price) => sum + 1 / price, 0);
      expect(overround).toBeGreaterThanOrEqual(1.05);
      expect(overround).toBeLessThan(1.07);
    }

    // The models never learn from simulated matches.
    const history = await loadHistory(t.app.orm.em.fork() as EntityManager, new Date('2100-01-01'));
    const teamNames = new Set(league.teams.map((team) => team.name));
    expect(history.filter((h) => teamNames.has(h.home))).toHaveLength(3);
  });

  it('ends the matches a stopped process left in play, and calls off those it had scheduled', async () => {
    const league = await playedLeague();
    // Stopped mid-match: at speed 60 a match lasts about two minutes.
    const first = await startLiveDemo(t.app.deps, { speed: 60, matches: 2, competition: league.code });
    await until(async () => (await demoMatches(league)).some((m) => m.status === MatchStatus.LIVE), 10_000);
    await first.stop();
    const left = await demoMatches(league);
    expect(left.some((m) => m.status === MatchStatus.LIVE)).toBe(true);

    const second = await startLiveDemo(t.app.deps, { speed: 60, matches: 1, competition: league.code });
    await second.stop();
    const after = new Map((await demoMatches(league)).map((m) => [m.id, m.status]));
    for (const match of left) {
      const expected = match.status === MatchStatus.SCHEDULED ? MatchStatus.CANCELLED : MatchStatus.FINISHED;
      expect(after.get(match.id), `match ${match.id} was ${match.status}`).toBe(expected);
    }
  });
});
