import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { MatchStatus } from '../../src/matches/match.enums';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { IngestOddsDocument, LiveFeedDocument, MatchPricesDocument, type IngestOddsInput } from '../generated/graphql';
import { addOdds, createLeague, createMatches, createMember } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let ingest: GraphqlClient;
let viewer: GraphqlClient;
let matchId: string;
let finishedId: string;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  ingest = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.INGEST] })).apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  const league = await createLeague(t.app.orm, 2);
  [matchId, finishedId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    {
      home: league.teams[1]!.id,
      away: league.teams[0]!.id,
      kickoff: new Date('2030-08-20T15:00:00Z'),
      status: MatchStatus.FINISHED,
      homeGoals: 1,
      awayGoals: 0,
    },
  ])) as [string, string];
  // An imported closing price, as the CSV import stores it (no time).
  await addOdds(t.app.orm, Number(fromGlobalId(matchId).id), 'pinnacle', [2.5, 3.3, 2.9]);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const price = (prices: number[], takenAt: string, extra: Partial<IngestOddsInput> = {}): IngestOddsInput => ({
  matchId,
  bookmaker: 'pinnacle',
  market: 'ONE_X_TWO',
  prices,
  takenAt,
  ...extra,
});

describe('ingestOdds', () => {
  it('stores each price once, answers every outcome, and keeps the history beside the current price', async () => {
    const earlier = at(30);
    const later = at(10);
    const { ingestOdds } = await ingest.data(IngestOddsDocument, {
      prices: [
        price([2.4, 3.3, 3.0], earlier),
        price([2.2, 3.4, 3.3], later),
        price([2.4, 3.3, 3.0], earlier), // a repeated delivery
        price([2.6, 3.3, 2.8], earlier), // the same key with other prices
        price([1.9, 2.0], later), // two prices for a three-way market
        price([2.0, 3.0, 4.0], later, { matchId: toGlobalId('Match', 2_147_483_648) }),
        price([2.0, 3.0, 4.0], later, { matchId: finishedId }),
        price([1.8, 2.05], later, { market: 'OVER_UNDER', line: 2.5 }),
      ],
    });
    expect(ingestOdds).toMatchObject({ recorded: 3, duplicates: 1, rejected: 4 });
    expect(ingestOdds.results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['RECORDED', null],
      ['RECORDED', null],
      ['DUPLICATE', null],
      ['REJECTED', 'CONFLICT'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'NOT_FOUND'],
      ['REJECTED', 'INVALID_STATE'],
      ['RECORDED', null],
    ]);
    expect(ingestOdds.results[2]!.odds!.id).toBe(ingestOdds.results[0]!.odds!.id);

    const { match } = await viewer.data(MatchPricesDocument, { id: matchId });
    const oneXTwo = match!.odds.filter((o) => o.market === 'ONE_X_TWO').map((o) => o.prices);
    expect(oneXTwo).toHaveLength(3); // imported closing + two ingested
    expect(oneXTwo).toEqual(
      expect.arrayContaining([
        [2.5, 3.3, 2.9],
        [2.4, 3.3, 3.0],
        [2.2, 3.4, 3.3],
      ]),
    );
    expect(match!.latestOdds).toEqual([
      { bookmaker: 'pinnacle', market: 'ONE_X_TWO', line: 0, prices: [2.2, 3.4, 3.3], takenAt: later, closing: false },
      { bookmaker: 'pinnacle', market: 'OVER_UNDER', line: 2.5, prices: [1.8, 2.05], takenAt: later, closing: false },
    ]);
  });

  it('pushes a price move on liveFeed, and nothing for a late or unchanged price', async () => {
    const ws = viewer.websocket();
    const feed = new Subscription(ws, LiveFeedDocument, { filter: { matches: [matchId] } });
    cleanups.push(() => {
      feed.close();
      return ws.dispose();
    });
    await new Promise((r) => setTimeout(r, 300));
    const bookmaker = `book-${Date.now()}`;
    await ingest.data(IngestOddsDocument, {
      prices: [
        price([2.1, 3.4, 3.6], at(5), { bookmaker }), // first price of this bookmaker: a move
        price([2.0, 3.5, 3.8], at(20), { bookmaker }), // older than the current one: history only
        price([2.1, 3.4, 3.6], at(4), { bookmaker }), // newer, same prices: no move
        price([1.95, 3.5, 4.0], at(3), { bookmaker }), // a move
      ],
    });
    await feed.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    const moves = feed.events.map((e) => e.liveFeed);
    expect(moves.map((m) => m.__typename)).toEqual(['PricesMoved', 'PricesMoved']);
    expect(moves.map((m) => (m as { odds: { prices: number[] }[] }).odds[0]!.prices)).toEqual([
      [2.1, 3.4, 3.6],
      [1.95, 3.5, 4.0],
    ]);
    expect(moves[1]!.sequence).toBe(moves[0]!.sequence + 1);
  });

  it('needs the INGEST or OPERATOR scope', async () => {
    const response = await viewer.request(IngestOddsDocument, { prices: [price([2, 3, 4], at(1))] });
    expect(response.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });
});
