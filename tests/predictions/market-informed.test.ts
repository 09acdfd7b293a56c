import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { MARKET_INFORMED } from '../../src/predictions/market-informed';
import { impliedProbabilities } from '../../src/predictions/models';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  AlertEventsDocument,
  CreateAlertRuleDocument,
  IngestOddsDocument,
  MatchDetailDocument,
  RefreshPredictionsDocument,
} from '../generated/graphql';
import { addOdds, createLeague, createMatches, createMember, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { playedSeason } from '../support/league-history';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: GraphqlClient;
let viewer: GraphqlClient;
let league: League;
let priced: string;
let unpriced: string;

const PINNACLE_EARLY = [2.1, 3.4, 3.9];
const BET365_EARLY = [1.5, 4.2, 7.0];
// Closing prices far from the others: were they used, the blend would show it.
const PINNACLE_CLOSING = [9.0, 5.0, 1.3];

beforeAll(async () => {
  t = await startTestApp();
  operator = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR, Scope.INGEST] })).apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  league = await createLeague(t.app.orm, 10);
  await createMatches(
    t.app.orm,
    league,
    playedSeason(league, (h, a) => (h === 0 && a === 9) || (h === 1 && a === 8)),
  );
  const upcoming = new Date(Date.now() + 3 * 86_400_000);
  [priced, unpriced] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[9]!.id, kickoff: upcoming },
    { home: league.teams[1]!.id, away: league.teams[8]!.id, kickoff: upcoming },
  ]);
  const takenAt = new Date(Date.now() - 3_600_000);
  await addOdds(t.app.orm, Number(fromGlobalId(priced).id), 'pinnacle', PINNACLE_EARLY, { closing: false, takenAt });
  await addOdds(t.app.orm, Number(fromGlobalId(priced).id), 'bet365', BET365_EARLY, { closing: false, takenAt });
  await addOdds(t.app.orm, Number(fromGlobalId(priced).id), 'pinnacle', PINNACLE_CLOSING);
  await operator.data(RefreshPredictionsDocument, { competition: league.code });
});

/** Pinnacle's 1X2 for the priced match, taken now, through `ingestOdds`. */
const ingestPinnacle = (prices: number[]) =>
  operator.data(IngestOddsDocument, {
    prices: [
      { matchId: priced, bookmaker: 'pinnacle', market: 'ONE_X_TWO', prices, takenAt: new Date().toISOString() },
    ],
  });

const marginFree = (prices: number[]) => {
  const [home, draw, away] = impliedProbabilities(prices).probabilities;
  return { home: home!, draw: draw!, away: away! };
};

async function forecastsOf(matchId: string) {
  const { match } = await viewer.data(MatchDetailDocument, { id: matchId });
  // Newest first: the first row of a model is its current forecast.
  const latestOf = (name: string) => match.predictions.find((p) => p.modelName === name);
  return { match, ensemble: latestOf('ensemble')!, informed: latestOf(MARKET_INFORMED.name) };
}

function expectBlend(
  informed: { homeWin: number; draw: number; awayWin: number },
  ensemble: { homeWin: number; draw: number; awayWin: number },
  market: { home: number; draw: number; away: number },
) {
  const w = MARKET_INFORMED.marketWeight;
  expect(informed.homeWin).toBeCloseTo((1 - w) * ensemble.homeWin + w * market.home, 9);
  expect(informed.draw).toBeCloseTo((1 - w) * ensemble.draw + w * market.draw, 9);
  expect(informed.awayWin).toBeCloseTo((1 - w) * ensemble.awayWin + w * market.away, 9);
}

describe('the market-informed forecast', () => {
  it("pools the ensemble with Pinnacle's price before kick-off, never the closing price, with the learned weight", async () => {
    expect(MARKET_INFORMED.marketWeight).toBeGreaterThan(0.5);
    const { match, ensemble, informed } = await forecastsOf(priced);
    expect(informed).toMatchObject({ modelVersion: MARKET_INFORMED.version });
    expectBlend(informed!, ensemble, marginFree(PINNACLE_EARLY));
    // The independent ensemble stays the match's latest prediction (edges and alerts use it).
    expect(match.latestPrediction!.modelName).toBe('ensemble');
  });

  it('is not made for a match without prices', async () => {
    const { informed, ensemble } = await forecastsOf(unpriced);
    expect(ensemble).toBeDefined();
    expect(informed).toBeUndefined();
  });

  it('moves with an ingested 1X2 price, from the same ensemble, and the ensemble stays latest', async () => {
    const moved = [1.8, 3.7, 4.8];
    const { ingestOdds } = await ingestPinnacle(moved);
    expect(ingestOdds.recorded).toBe(1);
    const { match, ensemble, informed } = await forecastsOf(priced);
    expectBlend(informed!, ensemble, marginFree(moved));
    expect(match.predictions.filter((p) => p.modelName === MARKET_INFORMED.name)).toHaveLength(2);
    expect(match.latestPrediction!.modelName).toBe('ensemble');
  });

  it('is replaced, not added to, by the next refresh', async () => {
    await operator.data(RefreshPredictionsDocument, { competition: league.code });
    const { match } = await forecastsOf(priced);
    expect(match.predictions.filter((p) => p.modelName === MARKET_INFORMED.name)).toHaveLength(1);
  });

  it('fires only the alert rules that name it: a rule without a model follows the independent forecasts', async () => {
    const before = await forecastsOf(priced);
    const moved = [15, 8, 1.1];
    const w = MARKET_INFORMED.marketWeight;
    const expected = (1 - w) * before.ensemble.awayWin + w * marginFree(moved).away;
    const highest = Math.max(before.ensemble.awayWin, before.informed!.awayWin);
    expect(expected).toBeGreaterThan(highest + 0.05);
    const threshold = (highest + expected) / 2;
    const analyst = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
    const rule = async (modelName: string | null) =>
      (
        await analyst.data(CreateAlertRuleDocument, {
          input: { kind: 'AWAY_WIN_ABOVE', threshold, scope: { matchId: priced }, modelName },
        })
      ).createAlertRule.id;
    const named = await rule(MARKET_INFORMED.name);
    await rule(null);
    await ingestPinnacle(moved);
    let fired: { rule: string; model: string }[] = [];
    const deadline = Date.now() + 5000;
    while (!fired.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { alertEvents } = await analyst.data(AlertEventsDocument, {});
      fired = alertEvents.edges.map(({ node }) => ({ rule: node.rule!.id, model: node.prediction!.modelName }));
    }
    // Alert rules are evaluated one prediction at a time, in order: a late second one would be in by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { alertEvents } = await analyst.data(AlertEventsDocument, {});
    fired = alertEvents.edges.map(({ node }) => ({ rule: node.rule!.id, model: node.prediction!.modelName }));
    expect(fired).toEqual([{ rule: named, model: MARKET_INFORMED.name }]);
  });

  it('never uses a price taken after the time it predicts at', async () => {
    const latest = [15, 8, 1.1]; // the last price ingested above
    await addOdds(t.app.orm, Number(fromGlobalId(priced).id), 'pinnacle', [1.01, 30, 50], {
      closing: false,
      takenAt: new Date(Date.now() + 86_400_000),
    });
    await operator.data(RefreshPredictionsDocument, { competition: league.code });
    const { ensemble, informed } = await forecastsOf(priced);
    expectBlend(informed!, ensemble, marginFree(latest));
  });

  it("stores and pushes nothing for a move of a price it does not read (another bookmaker's, Pinnacle priced)", async () => {
    const informedCount = async () =>
      (await forecastsOf(priced)).match.predictions.filter((p) => p.modelName === MARKET_INFORMED.name).length;
    const before = await informedCount();
    const { ingestOdds } = await operator.data(IngestOddsDocument, {
      prices: [
        {
          matchId: priced,
          bookmaker: 'bet365',
          market: 'ONE_X_TWO',
          prices: [1.9, 3.6, 4.2],
          takenAt: new Date().toISOString(),
        },
      ],
    });
    expect(ingestOdds.recorded).toBe(1);
    expect(await informedCount()).toBe(before);
  });
});
