/**
 * The ensemble: a stacked ordered logit over one feature per base model, learned only on
 * out-of-sample predictions of matches played before the ones it will be used for.
 *
 * Features (all "home minus away" strengths, so a positive coefficient favours the home side):
 *   dixon-coles   log(λ/μ) of the goals model
 *   shots-poisson log(λ/μ) of the shots-on-target model
 *   elo           rating gap incl. home advantage, in units of 100 Elo points
 *   pi-ratings    expected goal difference
 * Stacking (rather than a linear pool of the models' 1X2) lets the regression rescale a model whose
 * own probabilities are badly scaled but whose ranking of teams is informative; in backtests on
 * seasons before 2012/13 it beat the log-loss-weighted linear pool.
 */
import {
  fitStackedLogit,
  stackedLogitProbabilities,
  type Outcome1x2,
  type Probabilities1x2,
  type StackedLogit,
} from '../models';
import { MODEL_NAMES, MODEL_SETTINGS, type ModelName } from './config';

/** Name under which the ensemble's forecasts are stored and versioned. */
export const ENSEMBLE = 'ensemble' as const;

/** Learned ensemble parameters; plain JSON, so they can be stored and passed back to the forecaster. */
export interface EnsembleParameters {
  /** Always 'stacked-logit' (room for other kinds later). */
  kind: 'stacked-logit';
  /** Coefficient per base-model feature (raw feature scale, see the module comment). */
  coefficients: Record<ModelName, number>;
  /** Away/draw cutpoint. */
  cutAway: number;
  /** Draw/home cutpoint. */
  cutHome: number;
  /** Out-of-sample predictions it was learned on. */
  trainedOn: number;
  /** Seasons of those predictions (first and last), when known. */
  seasons?: { first: string; last: string };
}

/** One learning sample: each base model's feature for a past match and its outcome. */
export interface EnsembleSample {
  features: Record<ModelName, number>;
  outcome: Outcome1x2;
  /** The match's season label ('2011/12'): earlier seasons weigh less (see {@link seasonWeights}). */
  season?: string;
}

/**
 * Each sample's weight when learning: 1 for the latest season among them, halving every
 * `halfLifeSeasons` seasons before it (Infinity: all equal). Draw rates and home advantage drift
 * over the years, so a stacker that weighs 2003 like last season learns a draw rate nobody
 * plays any more. Samples without a season count as the latest.
 */
export function seasonWeights(samples: readonly EnsembleSample[], halfLifeSeasons: number): number[] {
  if (!(halfLifeSeasons > 0)) throw new RangeError(`halfLifeSeasons must be > 0, got ${halfLifeSeasons}`);
  const seasons = [...new Set(samples.flatMap((s) => (s.season ? [s.season] : [])))].sort();
  const index = new Map(seasons.map((season, i) => [season, i]));
  const latest = seasons.length - 1;
  return samples.map((s) => {
    const age = s.season ? latest - index.get(s.season)! : 0;
    return halfLifeSeasons === Infinity ? 1 : 0.5 ** (age / halfLifeSeasons);
  });
}

/** Feature vector in {@link MODEL_NAMES} order. */
export function featureVector(features: Record<ModelName, number>): number[] {
  return MODEL_NAMES.map((name) => features[name]);
}

/**
 * A competition's stacker pulled towards one learned on several competitions: its coefficients
 * stray from `coefficients` only as far as its own matches justify (`strength`: the ridge per unit
 * weight on the standardised coefficients' distance from them).
 */
export interface EnsemblePrior {
  coefficients: Record<ModelName, number>;
  strength: number;
}

/**
 * Learns stacked-logit parameters from out-of-sample samples (with none, a base-rate model
 * results), recent seasons weighing more (half-life `halfLifeSeasons`, by default the tuned one),
 * then its base rates again with the shorter `baseRateHalfLifeSeasons` (see `recalibrateBaseRates`).
 * With a `prior`, the coefficients are shrunk towards it instead of towards zero.
 */
export function learnEnsemble(
  samples: readonly EnsembleSample[],
  seasons?: { first: string; last: string },
  halfLifeSeasons: number = MODEL_SETTINGS.ensemble.halfLifeSeasons,
  baseRateHalfLifeSeasons: number = MODEL_SETTINGS.ensemble.baseRateHalfLifeSeasons,
  prior?: EnsemblePrior,
): EnsembleParameters {
  const weights = seasonWeights(samples, halfLifeSeasons);
  const fit: StackedLogit = fitStackedLogit(
    samples.map((s, i) => ({ x: featureVector(s.features), outcome: s.outcome, weight: weights[i]! })),
    prior
      ? { ridge: prior.strength, prior: featureVector(prior.coefficients) }
      : { ridge: MODEL_SETTINGS.ensemble.ridge },
  );
  const recalibrated = recalibrateBaseRates(samples, fit, baseRateHalfLifeSeasons);
  const coefficients = Object.fromEntries(
    MODEL_NAMES.map((name, j) => [name, (fit.coefficients[j] ?? 0) * recalibrated.scale]),
  ) as Record<ModelName, number>;
  return {
    kind: 'stacked-logit',
    coefficients,
    cutAway: recalibrated.cutAway,
    cutHome: recalibrated.cutHome,
    trainedOn: fit.count,
    ...(seasons ? { seasons } : {}),
  };
}

/**
 * Ensemble 1X2: the stacked logit when parameters are given; otherwise (nothing learned yet) the
 * equal-weight average of the base models' probabilities, which needs no training data.
 */
export function ensembleProbabilities(
  parameters: EnsembleParameters | null | undefined,
  features: Record<ModelName, number>,
  models: Record<ModelName, Probabilities1x2>,
): Probabilities1x2 {
  if (!parameters) {
    const out = { home: 0, draw: 0, away: 0 };
    for (const name of MODEL_NAMES) {
      out.home += models[name].home / MODEL_NAMES.length;
      out.draw += models[name].draw / MODEL_NAMES.length;
      out.away += models[name].away / MODEL_NAMES.length;
    }
    return out;
  }
  const model: StackedLogit = {
    coefficients: MODEL_NAMES.map((name) => parameters.coefficients[name] ?? 0),
    cutAway: parameters.cutAway,
    cutHome: parameters.cutHome,
    count: parameters.trainedOn,
  };
  return stackedLogitProbabilities(model, featureVector(features));
}

/**
 * The stacker's cutpoints (the outcomes' base rates) and the scale of its linear predictor
 * learned again with a shorter half-life: how the models combine is stable over the years, how
 * often draws and home wins happen drifts faster. Infinity: as fitted.
 */
function recalibrateBaseRates(
  samples: readonly EnsembleSample[],
  fit: StackedLogit,
  halfLifeSeasons: number,
): { scale: number; cutAway: number; cutHome: number } {
  if (halfLifeSeasons === Infinity || samples.length === 0)
    return { scale: 1, cutAway: fit.cutAway, cutHome: fit.cutHome };
  const weights = seasonWeights(samples, halfLifeSeasons);
  const eta = (s: EnsembleSample) =>
    featureVector(s.features).reduce((sum, v, j) => sum + (Number.isFinite(v) ? v * (fit.coefficients[j] ?? 0) : 0), 0);
  const refit = fitStackedLogit(
    samples.map((s, i) => ({ x: [eta(s)], outcome: s.outcome, weight: weights[i]! })),
    { ridge: MODEL_SETTINGS.ensemble.ridge },
  );
  return { scale: refit.coefficients[0] ?? 1, cutAway: refit.cutAway, cutHome: refit.cutHome };
}
