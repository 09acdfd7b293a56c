/**
 * The forecaster: fits every base model on the history strictly before `asOf` and predicts fixtures
 * with each model and with the ensemble. Pure (no I/O); never throws on odd or sparse data, and
 * teams it has never seen (promoted sides) get each model's newcomer prior, so every fixture is predicted.
 */
import {
  fitDixonColes,
  fitEloModel,
  fitOrderedLogit,
  fitPiModel,
  fitShotConversion,
  orderedLogitProbabilities,
  outcomeOf,
  proxyGoals,
  type DixonColesModel,
  type EloModel,
  type MatchResult,
  type OrderedLogit,
  type PiModel,
  type Probabilities1x2,
  type ShotConversion,
} from '../models';
import { MODEL_NAMES, MODEL_SETTINGS, type ModelName } from './config';
import { ensembleProbabilities, type EnsembleParameters } from './ensemble';
import { ratesForEdge } from './score-rates';

export { MODEL_NAMES, MODEL_VERSIONS, type ForecastName, type ModelName } from './config';

/** One finished match as the forecaster needs it (what the database must provide). */
export interface HistoricalMatch {
  /** Kick-off. */
  date: Date;
  /** Competition slug, e.g. 'premier-league'. */
  competition: string;
  home: string;
  away: string;
  homeGoals: number;
  awayGoals: number;
  /** All shots: accepted for future models, not used by the 1.0.0 models. */
  homeShots?: number | null;
  awayShots?: number | null;
  /** Shots on target; matches without them still count (the shots model then uses their goals). */
  homeShotsOnTarget?: number | null;
  awayShotsOnTarget?: number | null;
}

/** Options for {@link fitForecaster}. */
export interface ForecasterOptions {
  /**
   * Learned ensemble parameters, e.g. `ensembleWeights` of docs/backtest/premier-league-2012-2025.json
   * (learned on every season the backtest predicted, so fit for matches after its last season).
   * Without them the ensemble is the equal-weight average of the base models' 1X2.
   */
  weights?: EnsembleParameters | null;
  /** Only history of this competition is used (team ratings do not transfer between leagues). Default: all. */
  competition?: string;
  /** A forecaster fitted a little earlier on the same competition: warm-starts the optimisers (speed only). */
  previous?: FittedForecaster;
}

/** Predictions for one fixture. */
export interface FixtureForecast {
  /** 1X2 of each base model. */
  models: Record<ModelName, Probabilities1x2>;
  /** 1X2 of the ensemble. */
  ensemble: Probabilities1x2;
  /** Each base model's strength feature (see ensemble.ts), the ensemble's inputs. */
  features: Record<ModelName, number>;
  /** Expected goals (the rates below). */
  expectedGoals: { home: number; away: number };
  /**
   * Goal rates for the score grid and the markets: the Dixon-Coles total λ + μ, split so the grid's
   * P(home) − P(away) equals the ensemble's. Build the grid with `scoreGrid(homeRate, awayRate, { rho })`.
   */
  homeRate: number;
  awayRate: number;
  /** Dixon-Coles low-score dependence of the goals model. */
  rho: number;
}

/** The fitted base models. */
export interface FittedModels {
  dixonColes: DixonColesModel;
  shots: { model: DixonColesModel; conversion: ShotConversion; mapping: OrderedLogit };
  elo: EloModel;
  pi: PiModel;
}

/** A forecaster fitted as of one instant. */
export interface FittedForecaster {
  /** History strictly before this instant was used. */
  asOf: Date;
  /** Competition the history was restricted to, if any. */
  competition?: string;
  /** Matches used. */
  historySize: number;
  /** Ensemble parameters in use (null: equal-weight average). */
  ensemble: EnsembleParameters | null;
  /** The fitted base models (diagnostics, custom markets). */
  fitted: FittedModels;
  /** Predicts `home` v `away` (home side at home). Never throws; unknown teams get newcomer priors. */
  predict(home: string, away: string): FixtureForecast;
}

const DAY_MS = 86_400_000;

function logRatio(rates: { homeRate: number; awayRate: number }): number {
  return Math.log(rates.homeRate / rates.awayRate);
}

/** Shots model: Poisson strengths on κ·SOT with a short memory, plus its own calibrated 1X2 mapping. */
function fitShotsModel(history: readonly HistoricalMatch[], asOfDays: number, previous?: FittedModels['shots']) {
  const s = MODEL_SETTINGS.shotsPoisson;
  const dated = history.map((m) => ({ ...m, date: m.date.getTime() / DAY_MS }));
  const conversion = fitShotConversion(dated, { asOf: asOfDays, xi: s.conversionXi });
  const model = fitDixonColes(
    dated.map((m) => proxyGoals(m, conversion)),
    {
      asOf: asOfDays,
      xi: s.xi,
      fractionalGoals: true,
      optimizer: { gradientTolerance: MODEL_SETTINGS.fitTolerance },
      ...(previous ? { warmStart: previous.model } : {}),
    },
  );
  // The mapping is fitted in-sample (the same matches the strengths came from), so it is a little
  // overconfident; it only serves the standalone forecast, the ensemble uses the raw feature.
  const mapping = fitOrderedLogit(
    dated
      .filter((m) => asOfDays - m.date <= s.mappingDays)
      .map((m) => ({
        x: logRatio(model.rates(m.home, m.away)),
        outcome: outcomeOf(m.homeGoals, m.awayGoals),
        weight: Math.exp(-s.mappingXi * (asOfDays - m.date)),
      })),
  );
  return { model, conversion, mapping };
}

/**
 * Fits all base models on `history` strictly before `asOf` (restricted to `options.competition` when
 * given) and returns a predictor. Cost is dominated by the Dixon-Coles fit (tens of ms for ten seasons).
 */
export function fitForecaster(
  history: readonly HistoricalMatch[],
  asOf: Date,
  options: ForecasterOptions = {},
): FittedForecaster {
  const asOfMs = asOf.getTime();
  const asOfDays = asOfMs / DAY_MS;
  const used = history.filter(
    (m) => m.date.getTime() < asOfMs && (options.competition === undefined || m.competition === options.competition),
  );
  const results: MatchResult[] = used.map((m) => ({
    date: m.date.getTime() / DAY_MS,
    home: m.home,
    away: m.away,
    homeGoals: m.homeGoals,
    awayGoals: m.awayGoals,
  }));
  const prev = options.previous?.fitted;
  const dixonColes = fitDixonColes(results, {
    asOf: asOfDays,
    xi: MODEL_SETTINGS.dixonColes.xi,
    optimizer: { gradientTolerance: MODEL_SETTINGS.fitTolerance },
    ...(prev ? { warmStart: prev.dixonColes } : {}),
  });
  const shots = fitShotsModel(used, asOfDays, prev?.shots);
  const elo = fitEloModel(results, { asOf: asOfDays, ...MODEL_SETTINGS.elo });
  const pi = fitPiModel(results, { asOf: asOfDays, ...MODEL_SETTINGS.pi });
  const ensemble = options.weights ?? null;
  const trust = Math.min(1, used.length / MODEL_SETTINGS.thinHistory.fullWeightMatches);
  const shrink = (p: Probabilities1x2): Probabilities1x2 => shrinkToBaseRates(p, trust);

  const predict = (home: string, away: string): FixtureForecast => {
    const dc = dixonColes.predict(home, away);
    const shotRates = shots.model.rates(home, away);
    const features: Record<ModelName, number> = {
      'dixon-coles': logRatio(dc),
      'shots-poisson': logRatio(shotRates),
      elo: elo.gap(home, away) / 100,
      'pi-ratings': pi.expectedGoalDifference(home, away),
    };
    const models: Record<ModelName, Probabilities1x2> = {
      'dixon-coles': dc.probabilities,
      'shots-poisson': orderedLogitProbabilities(shots.mapping, features['shots-poisson']),
      elo: elo.predict(home, away),
      'pi-ratings': pi.predict(home, away),
    };
    for (const name of MODEL_NAMES) models[name] = shrink(models[name]);
    const combined = shrink(ensembleProbabilities(ensemble, features, models));
    const { baseGoals } = MODEL_SETTINGS.thinHistory;
    const total = trust * (dc.homeRate + dc.awayRate) + (1 - trust) * (baseGoals.home + baseGoals.away);
    const rates = ratesForEdge(total, combined.home - combined.away, dixonColes.rho);
    return {
      models,
      ensemble: combined,
      features,
      expectedGoals: { home: rates.homeRate, away: rates.awayRate },
      homeRate: rates.homeRate,
      awayRate: rates.awayRate,
      rho: dixonColes.rho,
    };
  };

  return {
    asOf: new Date(asOfMs),
    ...(options.competition !== undefined ? { competition: options.competition } : {}),
    historySize: used.length,
    ensemble,
    fitted: { dixonColes, shots, elo, pi },
    predict,
  };
}

/** Pulls `p` towards the base rates with weight 1 − `trust` and keeps every outcome above the floor. */
export function shrinkToBaseRates(p: Probabilities1x2, trust: number): Probabilities1x2 {
  const { baseRates, floor } = MODEL_SETTINGS.thinHistory;
  const mixed = (k: keyof Probabilities1x2) => Math.max(floor, trust * p[k] + (1 - trust) * baseRates[k]);
  const home = mixed('home');
  const draw = mixed('draw');
  const away = mixed('away');
  const sum = home + draw + away;
  return { home: home / sum, draw: draw / sum, away: away / sum };
}
