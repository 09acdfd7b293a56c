import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { NotFoundError } from '../errors';
import { Competition } from '../competitions/competition.entity';
import { Match } from '../matches/match.entity';
import { MatchStatus } from '../matches/match.enums';
import { audit } from '../tenants/audit';
import { calibrateGridTo1x2 } from './calibrate-grid';
import { ENSEMBLE, fitForecaster, MODEL_VERSIONS, type FixtureForecast } from './engine';
import { loadHistory } from './history';
import { marketsFromGrid } from './markets';
import { expectedGoals, scoreGrid, type Probabilities1x2 } from './models';
import { servedEnsembleWeights } from './backtest-reports';
import { currentPricesOf } from './market-prices';
import { MARKET_INFORMED, marketInformed, marketProbabilities } from './market-informed';
import { Prediction } from './prediction.entity';
import { predictionUpdatedPayload } from '../live/prediction.snapshot';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic, type ReplacedPrediction } from '../pubsub/topics';
import { allCustomModels } from '../custom-models/custom-model.service';
import { storeCustomForecasts } from '../custom-models/custom-model.forecasts';

/** First key of the advisory lock that serialises refreshes (the second is the competition id). */
const REFRESH_LOCK = 0x6d63; // "mc"

export interface RefreshResult {
  matches: number;
  predictions: number;
}

/** Told how long refreshes and model fits took, in seconds (metrics). */
export interface PredictionTimings {
  refreshed(seconds: number): void;
  fitted(seconds: number): void;
}

/** Fits every model on all finished matches and stores pre-match predictions for upcoming ones. */
export class PredictionService {
  constructor(
    private readonly deps: {
      em: EntityManager;
      principal: Principal | null;
      sharedDataChanged?: () => void;
      timings?: PredictionTimings;
      /** Where new predictions are announced (subscribers, alert rules); none in scripts. */
      pubSub?: AppPubSub;
    },
  ) {}

  async refreshCompetition(code: string, now: Date = new Date()): Promise<RefreshResult> {
    const started = performance.now();
    const { stored, replaced, ...result } = await this.storeNewPredictions(code, now);
    this.deps.timings?.refreshed((performance.now() - started) / 1000);
    this.deps.sharedDataChanged?.();
    // After the commit, as recorded events do: predictionUpdated feeds and alert rules see them.
    for (const prediction of stored) {
      const match = prediction.match.getEntity();
      this.deps.pubSub?.publish(Topic.PREDICTION_UPDATED, match.id, {
        ...predictionUpdatedPayload(prediction, match),
        replaced: replaced.get(match.id) ?? [],
      });
    }
    return result;
  }

  private storeNewPredictions(
    code: string,
    now: Date,
  ): Promise<RefreshResult & { stored: Prediction[]; replaced: Map<number, ReplacedPrediction[]> }> {
    return this.deps.em.fork().transactional(async (em) => {
      const competition = await em.findOne(Competition, { code });
      if (!competition) throw new NotFoundError('Competition', code);
      // One refresh per competition at a time; a second waits and then replaces the first's rows.
      await em
        .getConnection()
        .execute(
          'select pg_advisory_xact_lock(?, ?)',
          [REFRESH_LOCK, competition.id],
          'all',
          em.getTransactionContext(),
        );
      const fixtures = await em.find(
        Match,
        { season: { competition }, status: MatchStatus.SCHEDULED, kickoff: { $gt: now } },
        { populate: ['homeTeam', 'awayTeam'], orderBy: { kickoff: 'asc', id: 'asc' } },
      );
      if (fixtures.length === 0) return { matches: 0, predictions: 0, stored: [], replaced: new Map() };
      const history = await loadHistory(em as EntityManager, now);
      const fitStarted = performance.now();
      const forecaster = fitForecaster(history, now, {
        weights: servedEnsembleWeights(code),
        competition: code,
      });
      this.deps.timings?.fitted((performance.now() - fitStarted) / 1000);
      // A refresh replaces the pre-match predictions that the same model versions made before;
      // what they said is kept for the alert rules, which test a crossing against them.
      const sameVersions = {
        match: { $in: fixtures },
        inPlayMinute: null,
        tenant: null,
        $or: [
          ...Object.entries(MODEL_VERSIONS).map(([modelName, modelVersion]) => ({ modelName, modelVersion })),
          { modelName: MARKET_INFORMED.name, modelVersion: MARKET_INFORMED.version },
        ],
      };
      const replaced = replacedByMatch(await em.find(Prediction, sameVersions));
      await em.nativeDelete(Prediction, sameVersions);
      const prices = await currentPricesOf(
        em as EntityManager,
        fixtures.map((match) => match.id),
        now,
      );
      const stored: Prediction[] = [];
      for (const match of fixtures) {
        const forecast = forecaster.predict(match.homeTeam.getEntity().name, match.awayTeam.getEntity().name);
        for (const row of predictionRows(forecast, marketProbabilities(prices.get(match.id) ?? [])))
          stored.push(em.create(Prediction, { match, createdAt: now, ...row }));
      }
      const predictions = stored.length;
      await em.flush();
      // Every tenant's custom models pool the predictions just made.
      const custom = await storeCustomForecasts(
        em as EntityManager,
        await allCustomModels(em as EntityManager),
        now,
        code,
      );
      audit(
        em as EntityManager,
        this.deps.principal,
        'predictions.refresh',
        { type: 'Competition', id: competition.id },
        {
          matches: fixtures.length,
          predictions,
          customModelPredictions: custom,
        },
      );
      return { matches: fixtures.length, predictions, stored, replaced };
    });
  }
}

type PredictionRow = Pick<
  Prediction,
  | 'modelName'
  | 'modelVersion'
  | 'homeWin'
  | 'draw'
  | 'awayWin'
  | 'expectedHomeGoals'
  | 'expectedAwayGoals'
  | 'markets'
  | 'gridHomeRate'
  | 'gridAwayRate'
  | 'gridRho'
>;

/**
 * One row per model, then the market-informed forecast when the match has prices (`market`),
 * the ensemble last (so it is the match's latest prediction). Every row's markets and expected
 * goals come from the goal model's score grid rescaled to that row's 1X2.
 */
export function predictionRows(forecast: FixtureForecast, market: Probabilities1x2 | null = null): PredictionRow[] {
  const grid: GridRates = { homeRate: forecast.homeRate, awayRate: forecast.awayRate, rho: forecast.rho };
  const row = (modelName: keyof typeof MODEL_VERSIONS, p: Probabilities1x2) =>
    predictionRow(grid, modelName, MODEL_VERSIONS[modelName], p);
  return [
    ...Object.entries(forecast.models).map(([name, p]) => row(name as keyof typeof MODEL_VERSIONS, p)),
    ...(market
      ? [predictionRow(grid, MARKET_INFORMED.name, MARKET_INFORMED.version, marketInformed(forecast.ensemble, market))]
      : []),
    row(ENSEMBLE, forecast.ensemble),
  ];
}

/** The goal model's score grid a row's markets are made from. */
export interface GridRates {
  homeRate: number;
  awayRate: number;
  rho: number;
}

/** A stored prediction of `p`, its markets and expected goals from the grid rescaled to it. */
export function predictionRow(
  grid: GridRates,
  modelName: string,
  modelVersion: string,
  p: Probabilities1x2,
): PredictionRow {
  const total = p.home + p.draw + p.away;
  const normalised = { home: p.home / total, draw: p.draw / total, away: p.away / total };
  const calibrated = calibrateGridTo1x2(scoreGrid(grid.homeRate, grid.awayRate, { rho: grid.rho }), normalised);
  const goals = expectedGoals(calibrated);
  return {
    modelName,
    modelVersion,
    homeWin: normalised.home,
    draw: normalised.draw,
    awayWin: normalised.away,
    expectedHomeGoals: goals.home,
    expectedAwayGoals: goals.away,
    markets: marketsFromGrid(calibrated),
    gridHomeRate: grid.homeRate,
    gridAwayRate: grid.awayRate,
    gridRho: grid.rho,
  };
}

function replacedByMatch(predictions: readonly Prediction[]): Map<number, ReplacedPrediction[]> {
  const byMatch = new Map<number, ReplacedPrediction[]>();
  for (const p of predictions) {
    const rows = byMatch.get(p.match.id) ?? [];
    rows.push({
      id: p.id,
      model_name: p.modelName,
      home_win: p.homeWin,
      draw: p.draw,
      away_win: p.awayWin,
      created_at: p.createdAt.toISOString(),
    });
    byMatch.set(p.match.id, rows);
  }
  return byMatch;
}
