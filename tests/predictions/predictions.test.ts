import { beforeAll, describe, expect, it } from 'vitest';
import { alertEvaluatorOf } from '../../src/alerts/alert.evaluator';
import { MODEL_VERSIONS } from '../../src/predictions/engine';
import { IN_PLAY_MODEL } from '../../src/predictions/in-play.service';
import { MARKET_INFORMED } from '../../src/predictions/market-informed';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  MatchPredictionsDocument,
  MatchDetailDocument,
  MatchMarketSelectionsDocument,
  MatchPredictionsWithoutMarketsDocument,
  ModelsDocument,
  RefreshPredictionsDocument,
  AlertEventsDocument,
  CreateAlertRuleDocument,
  PredictionUpdatedDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { playedSeason } from '../support/league-history';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let admin: GraphqlClient;
let viewer: GraphqlClient;
let league: League;
let fixtures: string[];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  league = await createLeague(t.app.orm, 10);
  await createMatches(
    t.app.orm,
    league,
    playedSeason(league, (h, a) => (h === 0 && a === 9) || (h === 9 && a === 0)),
  );
  const upcoming = new Date(Date.now() + 3 * 86_400_000);
  fixtures = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[9]!.id, kickoff: upcoming },
    { home: league.teams[9]!.id, away: league.teams[0]!.id, kickoff: upcoming },
  ]);
});

describe('refreshPredictions', () => {
  it('stores a prediction of every model for each upcoming match, the ensemble last, with markets', async () => {
    const { refreshPredictions } = await admin.data(RefreshPredictionsDocument, { competition: league.code });
    const forecasts = Object.keys(MODEL_VERSIONS).length;
    expect(refreshPredictions).toEqual({
      competition: league.code,
      matches: fixtures.length,
      predictions: fixtures.length * forecasts,
    });

    const { match } = await viewer.data(MatchDetailDocument, { id: fixtures[0]! });
    expect(match.predictions.map((p) => p.modelName).sort()).toEqual(Object.keys(MODEL_VERSIONS).sort());
    for (const p of match.predictions) {
      expect(p.modelVersion).toBe(MODEL_VERSIONS[p.modelName as keyof typeof MODEL_VERSIONS]);
      expect(p.homeWin + p.draw + p.awayWin).toBeCloseTo(1, 9);
    }

    const { match: withMarkets } = await viewer.data(MatchPredictionsDocument, { id: fixtures[0]! });
    const latest = withMarkets.latestPrediction!;
    expect(latest.modelName).toBe('ensemble');
    expect(latest.homeWin).toBeGreaterThan(latest.awayWin); // the strongest side at home to the weakest
    const markets = latest.markets!;
    const over25 = markets.overUnder.find((l) => l.line === 2.5)!;
    expect(over25.over + over25.under).toBeCloseTo(1, 9);
    expect(markets.bothTeamsToScore.yes + markets.bothTeamsToScore.no).toBeCloseTo(1, 9);
    expect(markets.topScores).toHaveLength(5);
    // Markets come from a grid rescaled to this prediction's own 1X2.
    const handicap0 = markets.asianHandicap.find((l) => l.line === 0)!;
    expect(handicap0.push).toBeCloseTo(latest.draw, 9);

    const { match: reverse } = await viewer.data(MatchPredictionsDocument, { id: fixtures[1]! });
    expect(reverse.latestPrediction!.awayWin).toBeGreaterThan(reverse.latestPrediction!.homeWin);
  });

  it('reads markets only when a selection asks for them, through fragments too', async () => {
    const { match } = await viewer.data(MatchMarketSelectionsDocument, { id: fixtures[0]! });
    expect(match.summary!.markets).toBe('Prediction'); // an alias named markets is not the field
    expect(match.viaFragment!.id).toBe(match.summary!.id);
    expect(match.viaFragment!.markets!.overUnder.find((l) => l.line === 2.5)!.over).toBeGreaterThan(0);
    expect(match.viaInlineFragment.map((p) => p.id)).toEqual(match.plain.map((p) => p.id));
    for (const p of match.viaInlineFragment) expect(p.markets!.bothTeamsToScore.yes).toBeGreaterThan(0);

    // The markets column is read for the selection above, and not for one without markets.
    const readsMarkets = () => t.queries.some((sql) => sql.includes("'markets', markets"));
    t.resetQueries();
    await viewer.data(MatchMarketSelectionsDocument, { id: fixtures[0]! });
    expect(readsMarkets()).toBe(true);
    t.resetQueries();
    const { match: plain } = await viewer.data(MatchPredictionsWithoutMarketsDocument, { id: fixtures[0]! });
    expect(plain.latestPrediction!.id).toBe(match.summary!.id);
    expect(readsMarkets()).toBe(false);
  });

  it('replaces its earlier predictions when run again, also when runs overlap', async () => {
    await Promise.all([1, 2, 3].map(() => admin.data(RefreshPredictionsDocument, { competition: league.code })));
    const { match } = await viewer.data(MatchDetailDocument, { id: fixtures[1]! });
    expect(match.predictions).toHaveLength(Object.keys(MODEL_VERSIONS).length);
  });

  it('predicts a league with the stacker its own backtest learned (Serie A draws more than the average league)', async () => {
    // Two leagues alike in every result; only their codes differ, so only the stacker can tell them apart.
    const evenDraw = async (code: string | null) => {
      const alike = await createLeague(t.app.orm, 10);
      await createMatches(
        t.app.orm,
        alike,
        playedSeason(alike, (h, a) => h === 4 && a === 5),
      );
      const [even] = await createMatches(t.app.orm, alike, [
        { home: alike.teams[4]!.id, away: alike.teams[5]!.id, kickoff: new Date(Date.now() + 86_400_000) },
      ]);
      if (code)
        await t.app.orm.em
          .fork()
          .getConnection()
          .execute('update competition set code = ? where id = ?', [code, alike.competitionId]);
      await admin.data(RefreshPredictionsDocument, { competition: code ?? alike.code });
      const { match } = await viewer.data(MatchDetailDocument, { id: even! });
      return match.predictions.find((p) => p.modelName === 'ensemble')!.draw;
    };
    const withoutReport = await evenDraw(null); // the five leagues' stackers averaged
    const serieA = await evenDraw('serie-a');
    expect(serieA).toBeGreaterThan(withoutReport + 0.005);
  });

  it('needs the OPERATOR scope and a competition that exists', async () => {
    expect(await viewer.errorCodes(RefreshPredictionsDocument, { competition: league.code })).toEqual(['FORBIDDEN']);
    expect(await admin.errorCodes(RefreshPredictionsDocument, { competition: 'no-such-league' })).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('announces every prediction it stores: predictionUpdated feeds get them and alert rules are evaluated', async () => {
    // A fixture nobody predicted yet (a league without history): the rule has no previous prediction.
    const newLeague = await createLeague(t.app.orm, 2);
    const [fresh] = await createMatches(t.app.orm, newLeague, [
      { home: newLeague.teams[0]!.id, away: newLeague.teams[1]!.id, kickoff: new Date(Date.now() + 4 * 86_400_000) },
    ]);
    const analyst = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
    await analyst.data(CreateAlertRuleDocument, {
      input: { kind: 'HOME_WIN_ABOVE', threshold: 0.05, scope: { matchId: fresh! }, modelName: 'ensemble' },
    });
    const ws = viewer.websocket();
    const connected = new Promise<void>((resolve) => ws.on('connected', () => resolve()));
    const feed = new Subscription(ws, PredictionUpdatedDocument, { matchId: fresh! });
    await connected;
    // graphql-ws acknowledges no subscribe: give the feed's group time to start.
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      await admin.data(RefreshPredictionsDocument, { competition: newLeague.code });
      await until(() => feed.events.length >= Object.keys(MODEL_VERSIONS).length);
      const models = feed.events.map((event) => event.predictionUpdated.modelName).sort();
      expect(models).toEqual(Object.keys(MODEL_VERSIONS).sort());
      let alerts: string[] = [];
      await until(async () => {
        const { alertEvents } = await analyst.data(AlertEventsDocument, {});
        alerts = alertEvents.edges.map((edge) => edge.node.match.id);
        return alerts.length > 0;
      });
      expect(alerts).toEqual([fresh]);
    } finally {
      feed.close();
      await ws.dispose();
    }
  });
});

describe('refreshPredictions and crossing alerts', () => {
  it('fires a crossing rule once: a refresh that says the same again compares with the prediction it replaced', async () => {
    const newLeague = await createLeague(t.app.orm, 2);
    const [fixture] = await createMatches(t.app.orm, newLeague, [
      { home: newLeague.teams[0]!.id, away: newLeague.teams[1]!.id, kickoff: new Date(Date.now() + 4 * 86_400_000) },
    ]);
    const analyst = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
    const crossing = { kind: 'HOME_WIN_ABOVE', threshold: 0.05, scope: { matchId: fixture! } } as const;
    await analyst.data(CreateAlertRuleDocument, { input: { ...crossing, modelName: 'ensemble' } });
    await analyst.data(CreateAlertRuleDocument, { input: crossing }); // any independent model
    const alertCount = async () => {
      await alertEvaluatorOf(t.app.deps).idle();
      return (await analyst.data(AlertEventsDocument, {})).alertEvents.edges.length;
    };
    await admin.data(RefreshPredictionsDocument, { competition: newLeague.code });
    expect(await alertCount()).toBe(2);
    await admin.data(RefreshPredictionsDocument, { competition: newLeague.code });
    expect(await alertCount()).toBe(2);
  });
});

describe('models', () => {
  it('lists every model with its version and the backtest of that version beside the market', async () => {
    const { models } = await viewer.data(ModelsDocument);
    expect(models.map((m) => [m.name, m.version])).toEqual([
      ...Object.entries(MODEL_VERSIONS),
      [MARKET_INFORMED.name, MARKET_INFORMED.version],
      [IN_PLAY_MODEL.name, IN_PLAY_MODEL.version],
    ]);
    expect(models.find((m) => m.name === 'in-play')!.backtest).toBeNull();
    // Scored where it could have been served: the seasons after the first with earlier prices.
    const informed = models.find((m) => m.name === MARKET_INFORMED.name)!;
    expect(informed.backtest).toMatchObject({ competition: 'premier-league', from: '2013/14', to: '2024/25' });
    expect(informed.backtest!.rps).toBeLessThan(models.find((m) => m.name === 'ensemble')!.backtest!.rps);
    const ensemble = models.find((m) => m.name === 'ensemble')!;
    expect(ensemble.backtest).toMatchObject({
      competition: 'premier-league',
      from: '2012/13',
      to: '2024/25',
      matches: 4940,
    });
    expect(ensemble.backtest!.rps).toBeLessThan(ensemble.backtest!.marketRps * 1.05);
    expect(ensemble.backtest!.marketRps).toBeCloseTo(0.1927, 4);
  });
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
