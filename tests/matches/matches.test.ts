import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import {
  CompetitionsDocument,
  MatchDetailDocument,
  MatchesDocument,
  MatchesNestedDocument,
  NodeDocument,
} from '../generated/graphql';
import {
  addOdds,
  addPrediction,
  createLeague,
  createMatches,
  createMember,
  roundRobin,
  type League,
} from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let viewer: GraphqlClient;
let league: League;
let matchIds: string[];
const start = new Date('2030-08-10T14:00:00Z');

beforeAll(async () => {
  t = await startTestApp();
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  league = await createLeague(t.app.orm, 8); // 56 matches
  matchIds = await createMatches(t.app.orm, league, roundRobin(league, start));
});

describe('matches', () => {
  it('pages through a filtered list with cursors, in kick-off order, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    let lastCursor: string | null = null;
    do {
      const { matches } = await viewer.data(MatchesDocument, {
        filter: { competition: league.code },
        first: 20,
        after,
      });
      expect(matches.totalCount).toBe(56);
      seen.push(...matches.edges.map((e) => e.node.id));
      lastCursor = matches.pageInfo.endCursor;
      after = matches.pageInfo.hasNextPage ? matches.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(matchIds);
    // Past the end: no edges, and the total still counts the whole filter.
    const { matches: pastEnd } = await viewer.data(MatchesDocument, {
      filter: { competition: league.code },
      after: lastCursor,
    });
    expect(pastEnd.edges).toEqual([]);
    expect(pastEnd.totalCount).toBe(56);
    expect(pastEnd.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by team, season, status and kick-off window', async () => {
    const team = league.teams[0]!;
    const { matches: byTeam } = await viewer.data(MatchesDocument, {
      filter: { team: team.gid, season: '2030/31', competition: league.code },
      first: 100,
    });
    expect(byTeam.totalCount).toBe(14);
    expect(byTeam.edges.every((e) => e.node.homeTeam.id === team.gid || e.node.awayTeam.id === team.gid)).toBe(true);

    const from = new Date(start.getTime() + 10 * 86_400_000).toISOString();
    const to = new Date(start.getTime() + 13 * 86_400_000).toISOString();
    const { matches: window } = await viewer.data(MatchesDocument, {
      filter: { competition: league.code, from, to, status: 'SCHEDULED' },
    });
    expect(window.edges.map((e) => e.node.id)).toEqual(matchIds.slice(10, 13));

    const { matches: finished } = await viewer.data(MatchesDocument, {
      filter: { competition: league.code, status: 'FINISHED' },
    });
    expect(finished.totalCount).toBe(0);
  });

  it('serves a match with its relations, and the same object through node(id)', async () => {
    t.resetQueries();
    const { match } = await viewer.data(MatchDetailDocument, { id: matchIds[0]! });
    // The season's competition comes with the season, not from a statement of its own.
    expect(t.queries.filter((sql) => /from "?competition"?/.test(sql))).toEqual([]);
    expect(match).toMatchObject({
      id: matchIds[0],
      status: 'SCHEDULED',
      homeTeam: { name: league.teams[0]!.name },
      awayTeam: { name: league.teams[1]!.name },
      season: { label: '2030/31', competition: { code: league.code } },
      events: [],
      predictions: [],
      latestPrediction: null,
    });
    const { node } = await viewer.data(NodeDocument, { id: matchIds[0]! });
    expect(node).toMatchObject({ __typename: 'Match', id: matchIds[0], kickoff: start.toISOString() });
    const { node: team } = await viewer.data(NodeDocument, { id: league.teams[2]!.gid });
    expect(team).toMatchObject({ __typename: 'Team', name: league.teams[2]!.name });
    const { node: season } = await viewer.data(NodeDocument, { id: league.seasonGid });
    expect(season).toMatchObject({ __typename: 'Season', label: '2030/31' });
  });

  it('lists competitions with their seasons', async () => {
    const { competitions } = await viewer.data(CompetitionsDocument);
    const mine = competitions.find((c) => c.code === league.code);
    expect(mine?.seasons.map((s) => s.label)).toEqual(['2030/31']);
  });

  it('returns the newest prediction as latestPrediction and all of them newest first', async () => {
    const matchId = fromGlobalId(matchIds[1]!).id;
    await addPrediction(
      t.app.orm,
      matchId,
      { homeWin: 0.5, draw: 0.3, awayWin: 0.2 },
      new Date('2030-08-01T00:00:00Z'),
      'old',
    );
    await addPrediction(
      t.app.orm,
      matchId,
      { homeWin: 0.4, draw: 0.3, awayWin: 0.3 },
      new Date('2030-08-02T00:00:00Z'),
      'new',
    );
    t.resetQueries();
    const { match } = await viewer.data(MatchDetailDocument, { id: matchIds[1]! });
    expect(match.latestPrediction?.modelName).toBe('new');
    expect(match.predictions.map((p) => p.modelName)).toEqual(['new', 'old']);
    // Asked together, the latest is the head of the list: predictions are read once, in one
    // statement.
    const readingPredictions = t.queries.filter((sql) => /from "?prediction"?\b/.test(sql));
    expect(readingPredictions).toHaveLength(1);
    expect(readingPredictions[0]!.match(/from "?prediction"?\b/g)).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('rejects a page size over the maximum', async () => {
    const response = await viewer.request(MatchesDocument, { first: 101 });
    expect(response.errors?.[0]).toMatchObject({
      message: 'first must be between 1 and 100, got 101',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('rejects malformed dates, IDs and cursors with BAD_USER_INPUT', async () => {
    expect(await viewer.errorCodes(MatchesDocument, { filter: { from: '31/02/2030' } })).toEqual(['BAD_USER_INPUT']);
    expect(await viewer.errorCodes(MatchDetailDocument, { id: 'not-an-id' })).toEqual(['BAD_USER_INPUT']);
    expect(await viewer.errorCodes(MatchDetailDocument, { id: league.teams[0]!.gid })).toEqual(['BAD_USER_INPUT']);
    expect(await viewer.errorCodes(MatchesDocument, { after: 'garbage' })).toEqual(['BAD_USER_INPUT']);
    const infinite = Buffer.from('["2030-01-01T00:00:00.000Z",1e400]').toString('base64url');
    expect(await viewer.errorCodes(MatchesDocument, { after: infinite })).toEqual(['BAD_USER_INPUT']);
    expect(await viewer.errorCodes(MatchesDocument, { filter: { competition: 'a\u0000b' } })).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('takes ids past the integer range as ids of nothing, not as a server error', async () => {
    const huge = 2_147_483_648;
    const team = await viewer.request(NodeDocument, { id: toGlobalId('Team', huge) });
    expect(team.errors).toBeUndefined();
    expect(team.data?.node).toBeNull();
    const byTeam = await viewer.request(MatchesDocument, { filter: { team: toGlobalId('Team', huge) } });
    expect(byTeam.errors).toBeUndefined();
    expect(byTeam.data?.matches.totalCount).toBe(0);
    const cursor = Buffer.from(JSON.stringify(['2030-08-01T00:00:00.000Z', huge])).toString('base64url');
    const after = await viewer.request(MatchesDocument, { filter: { competition: league.code }, after: cursor });
    expect(after.errors).toBeUndefined();
    expect(after.data?.matches.totalCount).toBe(56);
  });

  it('answers NOT_FOUND for a match that does not exist, and null from node()', async () => {
    const missing = toGlobalId('Match', 987_654_321);
    const response = await viewer.request(MatchDetailDocument, { id: missing });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(response.errors)).not.toMatch(/stack|at \w+ \(/);
    expect((await viewer.data(NodeDocument, { id: missing })).node).toBeNull();
  });
});

describe('SQL statements of a nested query', () => {
  async function statementsFor(first: number): Promise<number> {
    t.resetQueries();
    const { matches } = await viewer.data(MatchesNestedDocument, { filter: { competition: league.code }, first });
    expect(matches.edges).toHaveLength(first);
    return t.queries.length;
  }

  it('stays a small constant from 5 to 50 matches with teams, season, latest prediction and odds', async () => {
    for (const id of matchIds.slice(0, 50)) {
      await addOdds(t.app.orm, fromGlobalId(id).id, 'pinnacle', [2.1, 3.4, 3.6]);
    }
    await addPrediction(t.app.orm, fromGlobalId(matchIds[7]!).id, { homeWin: 0.45, draw: 0.25, awayWin: 0.3 });
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    // the page with its total, then teams, seasons, latest predictions and odds in one
    // statement (the key's member is cached)
    expect(large).toBe(2);
    expect(small).toBe(large);
  });
});
