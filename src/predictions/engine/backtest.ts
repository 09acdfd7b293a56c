/**
 * Walk-forward backtest. Matches are predicted in blocks of `refitDays` days: before each block the
 * forecaster is refitted on matches strictly before the block's first kick-off, so no prediction
 * sees its own or any later result. Every match in range is predicted (newcomers get priors).
 *
 * The ensemble for season S is learned only on out-of-sample predictions of seasons before S: the
 * backtest therefore also predicts `warmupSeasons` seasons before `from` (not scored) to have
 * something to learn the first season's ensemble from.
 */
import {
  bootstrapMean,
  calibrationNoise,
  type CalibrationNoise,
  combine,
  inPlayPrediction,
  learnEnsembleWeights,
  outcomeOf,
  rankedProbabilityScore,
  type BootstrapInterval,
  type Outcome1x2,
  type Probabilities1x2,
  type ScoredForecast,
} from '../models';
import { compactCalibration, metricSet, rpsRatio, type CompactCalibration, type MetricSet } from './backtest-metrics';
import { FORECAST_NAMES, MODEL_SETTINGS, MODEL_VERSIONS, type ForecastName, type ModelName } from './config';
import {
  ensembleProbabilities,
  learnEnsemble,
  type EnsembleParameters,
  type EnsemblePrior,
  type EnsembleSample,
} from './ensemble';
import { fitForecaster, type FittedForecaster, type HistoricalMatch } from './forecaster';

const DAY_MS = 86_400_000;

/** A finished match with its season and, optionally, the market's margin-free closing 1X2. */
export interface BacktestMatch extends HistoricalMatch {
  /** Season label, e.g. '2012/13' (labels must sort chronologically as strings). */
  season: string;
  /** Market probabilities (e.g. Pinnacle closing, margin removed); null/absent when unknown. */
  market?: Probabilities1x2 | null;
  /** The market's price available before kick-off (margin removed): never the closing one. */
  earlyMarket?: Probabilities1x2 | null;
  /** The half-time score, when the data has it (the in-play backtest at minute 45). */
  halfTime?: { home: number; away: number } | null;
}

/** Progress report after each refit block. */
export interface BacktestProgress {
  /** Matches predicted so far (warm-up included). */
  done: number;
  /** Matches to predict (warm-up included). */
  total: number;
  /** Season of the block just predicted. */
  season: string;
  /** Refits so far. */
  refits: number;
}

/** Options for {@link runBacktest}. */
export interface BacktestOptions {
  /** Competition to backtest; the base models learn from its matches only (the stacker may be pooled: `pooledWith`). */
  competition: string;
  /** First scored season label (e.g. '2012/13'). */
  from: string;
  /** Last scored season label (e.g. '2024/25'). */
  to: string;
  /** Seasons before `from` predicted (unscored) to learn the first ensemble on (default 10). */
  warmupSeasons?: number;
  /** Days per refit block (default 7: a refit at least weekly). */
  refitDays?: number;
  /** Fewest earlier predictions needed to learn an ensemble; below it the equal-weight average is used (default 300). */
  minEnsembleSamples?: number;
  /** Half-life of the stacker's season weights (default MODEL_SETTINGS.ensemble.halfLifeSeasons). */
  stackingHalfLifeSeasons?: number;
  /** Half-life its base rates are learned again with (default MODEL_SETTINGS.ensemble.baseRateHalfLifeSeasons). */
  baseRateHalfLifeSeasons?: number;
  /**
   * Other competitions' walk-forward predictions: each season's stacker is then shrunk towards
   * one learned on these and this competition's earlier seasons together, with `poolingStrength`
   * (default MODEL_SETTINGS.ensemble.poolingStrength; 0: not pooled).
   */
  pooledWith?: readonly BacktestPrediction[];
  poolingStrength?: number;
  /** Calibration bins (default 10). */
  calibrationBins?: number;
  /** Called after every refit block. */
  onProgress?: (progress: BacktestProgress) => void;
}

/** One predicted match. */
export interface BacktestPrediction {
  date: Date;
  season: string;
  home: string;
  away: string;
  outcome: Outcome1x2;
  /** False for warm-up seasons. */
  scored: boolean;
  /** Base models' and (for scored seasons) the ensemble's 1X2. */
  forecasts: Partial<Record<ForecastName, Probabilities1x2>>;
  /** The ensemble's input features. */
  features: Record<ModelName, number>;
  market: Probabilities1x2 | null;
  /** The market's price before kick-off, when known (the market-informed blend's input). */
  earlyMarket: Probabilities1x2 | null;
  /**
   * Share of the shots model's weight (its decay, as of the prediction) on team-matches with shots
   * on target recorded: below {@link MIN_SHOTS_COVERAGE} its feature is mostly goals, not shots.
   */
  shotsCoverage: number;
  /** The pre-match score grid's rates (what the in-play model starts from). */
  rates: { home: number; away: number; rho: number };
  halfTime: { home: number; away: number } | null;
}

/** Metrics of one season (or of the whole range). */
export interface BacktestSeason {
  season: string;
  matches: number;
  models: Record<ForecastName, MetricSet>;
  /** Market metrics on the matches that have market probabilities (null if none). */
  market: MetricSet | null;
  /** RPS model / RPS market on the matches with market probabilities. */
  ratio: Record<ForecastName, number | null>;
}

/** See {@link BacktestResult.marketInformed}. */
export interface MarketInformedStudy {
  from: string;
  to: string;
  /** The market's weight in the pool of the last season (the ensemble has the rest). */
  marketWeight: number;
  /** On the same matches: the blend, the ensemble alone, the price before kick-off, the closing price. */
  blend: MetricSet;
  ensemble: MetricSet;
  early: MetricSet;
  closing: MetricSet;
  /** RPS(blend) − RPS(closing) and − RPS(early) per match, with 95% bootstrap intervals. */
  vsClosing: BootstrapInterval;
  vsEarly: BootstrapInterval;
}

/** Result of {@link runBacktest}. */
export interface BacktestResult {
  competition: string;
  from: string;
  to: string;
  /** Matches scored. */
  matches: number;
  /** Overall metrics per forecast, with the version that produced them. */
  models: Record<ForecastName, MetricSet & { version: string }>;
  market: MetricSet | null;
  ratio: Record<ForecastName, number | null>;
  seasons: BacktestSeason[];
  /**
   * Per forecast, the mean of RPS(forecast) − RPS(market) over the scored matches with odds and
   * its 95% paired bootstrap interval (2,000 resamples, seed 1); null without odds.
   */
  marketDifference: Record<ForecastName, BootstrapInterval> | null;
  /** Predictions the ensemble was not learned from: too little of the shots feature rested on shots on target. */
  notLearnedFrom: { predictions: number; seasons: string[]; minShotsCoverage: number };
  /**
   * The in-play model at half-time (the only minute the data's scores fix), from each match's
   * pre-match rates and half-time score: with goals at one rate over the match (`uniform`) and
   * with the fitted first-half share (`profiled`, what is served); null without half-time scores.
   */
  inPlay: { minute: 45; firstHalfShare: number; uniform: MetricSet; profiled: MetricSet } | null;
  /**
   * A study of the market-informed forecast (not yet served): a linear pool of the ensemble and
   * the market's price before kick-off, its weights learned (log loss) on the earlier scored
   * seasons only, scored from the second scored season on against the closing price; null
   * without prices before kick-off.
   */
  marketInformed: MarketInformedStudy | null;
  /** Mean predicted draw probability per forecast against the observed draw rate (scored matches). */
  draws: { observed: number; predicted: Record<ForecastName, number> };
  /**
   * What chance alone does to the ensemble's calibration on these matches: its ECE, and the spread
   * of the observed draw rate, were outcomes drawn from its own (so calibrated) forecasts. An ECE
   * or a draw gap within this is not evidence of miscalibration.
   */
  calibrationNoise: CalibrationNoise;
  /** Ensemble learned on every prediction of the run (warm-up and scored): the one to use from here on. */
  ensembleWeights: EnsembleParameters;
  /** Ensemble used for each scored season (null: too little history, equal-weight average used). */
  ensembleBySeason: Record<string, EnsembleParameters | null>;
  /** Reliability of the ensemble and of the market (same matches: those with market probabilities, else all). */
  calibration: { bins: number; ensemble: CompactCalibration; market: CompactCalibration | null };
  settings: { refitDays: number; warmupSeasons: number; warmupFrom: string | null; refits: number };
  /** Every prediction, warm-up included (not part of the CLI's JSON). */
  predictions: BacktestPrediction[];
}

function byDate<T extends { date: Date }>(matches: readonly T[]): T[] {
  return matches
    .map((m, i) => ({ m, i, t: m.date.getTime() }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.m);
}

/** A refit block: targets[start, end) are predicted by one forecaster fitted before targets[start]. */
export interface RefitBlock {
  start: number;
  end: number;
}

/** What to predict: the competition's history, the matches to predict and the refit blocks. */
export interface BacktestPlan {
  /** The competition's matches, by date (the training data of every refit). */
  history: BacktestMatch[];
  /** Matches to predict (warm-up and scored seasons), by date. */
  targets: BacktestMatch[];
  blocks: RefitBlock[];
  scoredSeasons: string[];
  warmupSeasons: string[];
}

/** Splits the work into refit blocks. Throws RangeError when `from`/`to` are not seasons of the competition. */
export function planBacktest(matches: readonly BacktestMatch[], options: BacktestOptions): BacktestPlan {
  const refitDays = options.refitDays ?? 7;
  const warmupCount = Math.max(0, Math.floor(options.warmupSeasons ?? 10));
  const history = byDate(matches.filter((m) => m.competition === options.competition));
  const allSeasons = [...new Set(history.map((m) => m.season))].sort();
  const fromIndex = allSeasons.indexOf(options.from);
  const toIndex = allSeasons.indexOf(options.to);
  if (fromIndex < 0 || toIndex < 0 || toIndex < fromIndex) {
    throw new RangeError(
      `seasons ${options.from}–${options.to} not found for ${options.competition} (have ${allSeasons[0] ?? 'none'}–${allSeasons.at(-1) ?? 'none'})`,
    );
  }
  const scoredSeasons = allSeasons.slice(fromIndex, toIndex + 1);
  const warmupSeasons = allSeasons.slice(Math.max(0, fromIndex - warmupCount), fromIndex);
  const wanted = new Set([...warmupSeasons, ...scoredSeasons]);
  const targets = history.filter((m) => wanted.has(m.season));
  const blocks: RefitBlock[] = [];
  for (let i = 0; i < targets.length;) {
    const end = targets[i]!.date.getTime() + refitDays * DAY_MS;
    let j = i;
    while (j < targets.length && targets[j]!.date.getTime() < end) j++;
    blocks.push({ start: i, end: j });
    i = j;
  }
  return { history, targets, blocks, scoredSeasons, warmupSeasons };
}

/**
 * Base-model predictions for the given blocks (a contiguous run of `plan.blocks`): before each block
 * the forecaster is refitted on history strictly before the block's first kick-off. `scored` is
 * filled in by {@link scoreBacktest}. Independent runs of blocks can go to different threads.
 */
export function predictBlocks(
  plan: Pick<BacktestPlan, 'history' | 'targets'>,
  blocks: readonly RefitBlock[],
  competition: string,
  onBlock?: (block: RefitBlock) => void,
): BacktestPrediction[] {
  const predictions: BacktestPrediction[] = [];
  let previous: FittedForecaster | undefined;
  for (const block of blocks) {
    const asOf = plan.targets[block.start]!.date;
    const forecaster = fitForecaster(plan.history, asOf, { competition, previous });
    const shotsCoverage = shotsCoverageAsOf(plan.history, asOf, competition);
    previous = forecaster;
    for (let k = block.start; k < block.end; k++) {
      const m = plan.targets[k]!;
      const f = forecaster.predict(m.home, m.away);
      predictions.push({
        date: m.date,
        season: m.season,
        home: m.home,
        away: m.away,
        outcome: outcomeOf(m.homeGoals, m.awayGoals),
        scored: false,
        forecasts: { ...f.models },
        features: f.features,
        market: m.market ?? null,
        earlyMarket: m.earlyMarket ?? null,
        shotsCoverage,
        rates: { home: f.homeRate, away: f.awayRate, rho: f.rho },
        halfTime: m.halfTime ?? null,
      });
    }
    onBlock?.(block);
  }
  return predictions;
}

/** The ensemble is not learned on predictions whose shots feature rests less than this on shots. */
export const MIN_SHOTS_COVERAGE = 0.9;

const isLearnable = (p: BacktestPrediction) => p.shotsCoverage >= MIN_SHOTS_COVERAGE;

/** See {@link BacktestPrediction.shotsCoverage}: team-matches before `asOf`, weighted as the shots model weighs them. */
export function shotsCoverageAsOf(history: readonly BacktestMatch[], asOf: Date, competition: string): number {
  const xi = MODEL_SETTINGS.shotsPoisson.xi;
  const asOfDays = asOf.getTime() / DAY_MS;
  let covered = 0;
  let all = 0;
  for (const m of history) {
    const age = asOfDays - m.date.getTime() / DAY_MS;
    if (!(age > 0) || m.competition !== competition) continue;
    const w = Math.exp(-xi * age);
    const known = (sot: number | null | undefined) => (typeof sot === 'number' && sot >= 0 ? 1 : 0);
    covered += w * (known(m.homeShotsOnTarget) + known(m.awayShotsOnTarget));
    all += 2 * w;
  }
  return all > 0 ? covered / all : 0;
}

/** Runs the walk-forward backtest in this thread. Throws RangeError when `from`/`to` are not seasons of the competition. */
export function runBacktest(matches: readonly BacktestMatch[], options: BacktestOptions): BacktestResult {
  const plan = planBacktest(matches, options);
  let refits = 0;
  const predictions = predictBlocks(plan, plan.blocks, options.competition, (block) => {
    refits++;
    options.onProgress?.({
      done: block.end,
      total: plan.targets.length,
      season: plan.targets[block.start]!.season,
      refits,
    });
  });
  return scoreBacktest(plan, predictions, options);
}

/**
 * Learns each scored season's ensemble on earlier seasons' predictions, then computes the metrics.
 * `predictions` must be those of all `plan.blocks`, in order.
 */
export function scoreBacktest(
  plan: BacktestPlan,
  predictions: BacktestPrediction[],
  options: BacktestOptions,
): BacktestResult {
  const refitDays = options.refitDays ?? 7;
  const bins = options.calibrationBins ?? 10;
  const minSamples = options.minEnsembleSamples ?? 300;
  const scoredSeasons = plan.scoredSeasons;
  const scoredSet = new Set(scoredSeasons);
  for (const p of predictions) p.scored = scoredSet.has(p.season);

  // ---- ensemble per scored season, learned on earlier seasons only ----
  const halfLife = options.stackingHalfLifeSeasons ?? MODEL_SETTINGS.ensemble.halfLifeSeasons;
  const baseRateHalfLife = options.baseRateHalfLifeSeasons ?? MODEL_SETTINGS.ensemble.baseRateHalfLifeSeasons;
  const sample = (p: BacktestPrediction): EnsembleSample => ({
    features: p.features,
    outcome: p.outcome,
    season: p.season,
  });
  const ensembleBySeason: Record<string, EnsembleParameters | null> = {};
  // A feature that is goals in some seasons and shots in others is not one feature: such
  // predictions are scored but not learned from (the result says how many and of which seasons).
  const learnable = predictions.filter(isLearnable);
  const poolingStrength = options.poolingStrength ?? MODEL_SETTINGS.ensemble.poolingStrength;
  const others = poolingStrength > 0 ? (options.pooledWith ?? []).filter(isLearnable) : [];
  // The stacker learned on every league's predictions: what each league's own is shrunk towards.
  const priorFrom = (pooled: readonly BacktestPrediction[]): EnsemblePrior | undefined =>
    others.length > 0 && pooled.length >= minSamples
      ? {
          coefficients: learnEnsemble(pooled.map(sample), undefined, halfLife, Infinity).coefficients,
          strength: poolingStrength,
        }
      : undefined;
  for (const season of scoredSeasons) {
    const earlier = learnable.filter((p) => p.season < season);
    const prior = priorFrom([...others.filter((p) => p.season < season), ...earlier]);
    const params =
      earlier.length >= minSamples
        ? learnEnsemble(
            earlier.map(sample),
            { first: earlier[0]!.season, last: earlier.at(-1)!.season },
            halfLife,
            baseRateHalfLife,
            prior,
          )
        : null;
    ensembleBySeason[season] = params;
    for (const p of predictions) {
      if (p.season !== season) continue;
      p.forecasts.ensemble = ensembleProbabilities(
        params,
        p.features,
        p.forecasts as Record<ModelName, Probabilities1x2>,
      );
    }
  }
  const ensembleWeights = learnEnsemble(
    learnable.map(sample),
    learnable.length > 0 ? { first: learnable[0]!.season, last: learnable.at(-1)!.season } : undefined,
    halfLife,
    baseRateHalfLife,
    priorFrom([...others, ...learnable]),
  );
  const excluded = predictions.filter((p) => !isLearnable(p));

  // ---- metrics ----
  const scored = predictions.filter((p) => p.scored);
  const summarise = (group: readonly BacktestPrediction[], season: string): BacktestSeason => {
    const withMarket = group.filter((p) => p.market !== null);
    const scoredBy = (name: ForecastName, set: readonly BacktestPrediction[]): ScoredForecast[] =>
      set.map((p) => ({ probabilities: p.forecasts[name]!, outcome: p.outcome }));
    const market = metricSet(
      withMarket.map((p) => ({ probabilities: p.market!, outcome: p.outcome })),
      bins,
    );
    const models = {} as Record<ForecastName, MetricSet>;
    const ratio = {} as Record<ForecastName, number | null>;
    for (const name of FORECAST_NAMES) {
      models[name] = metricSet(scoredBy(name, group), bins)!;
      ratio[name] = rpsRatio(metricSet(scoredBy(name, withMarket), bins), market);
    }
    return { season, matches: group.length, models, market, ratio };
  };
  const overall = summarise(scored, `${options.from}–${options.to}`);
  const seasons = scoredSeasons.map((s) =>
    summarise(
      scored.filter((p) => p.season === s),
      s,
    ),
  );
  const calibrationSet = scored.some((p) => p.market !== null) ? scored.filter((p) => p.market !== null) : scored;
  const models = {} as BacktestResult['models'];
  for (const name of FORECAST_NAMES) models[name] = { version: MODEL_VERSIONS[name], ...overall.models[name] };

  return {
    competition: options.competition,
    from: options.from,
    to: options.to,
    matches: scored.length,
    models,
    market: overall.market,
    ratio: overall.ratio,
    seasons,
    marketDifference: marketDifferences(scored),
    draws: drawRates(scored),
    calibrationNoise: calibrationNoise(
      scored.map((p) => p.forecasts.ensemble!),
      { bins },
    ),
    notLearnedFrom: {
      predictions: excluded.length,
      seasons: [...new Set(excluded.map((p) => p.season))],
      minShotsCoverage: MIN_SHOTS_COVERAGE,
    },
    inPlay: halfTimeInPlay(scored, bins),
    marketInformed: marketInformedStudy(scored, scoredSeasons, bins),
    ensembleWeights,
    ensembleBySeason,
    calibration: {
      bins,
      ensemble: compactCalibration(
        calibrationSet.map((p) => ({ probabilities: p.forecasts.ensemble!, outcome: p.outcome })),
        bins,
      ),
      market: calibrationSet.some((p) => p.market !== null)
        ? compactCalibration(
            calibrationSet.map((p) => ({ probabilities: p.market!, outcome: p.outcome })),
            bins,
          )
        : null,
    },
    settings: {
      refitDays,
      warmupSeasons: plan.warmupSeasons.length,
      warmupFrom: plan.warmupSeasons[0] ?? null,
      refits: plan.blocks.length,
    },
    predictions,
  };
}

function marketDifferences(scored: readonly BacktestPrediction[]): BacktestResult['marketDifference'] {
  const withMarket = scored.filter((p) => p.market !== null);
  if (withMarket.length === 0) return null;
  const market = withMarket.map((p) => rankedProbabilityScore(p.market!, p.outcome));
  const out = {} as Record<ForecastName, BootstrapInterval>;
  for (const name of FORECAST_NAMES) {
    const diffs = withMarket.map((p, i) => rankedProbabilityScore(p.forecasts[name]!, p.outcome) - market[i]!);
    out[name] = bootstrapMean(diffs);
  }
  return out;
}

function drawRates(scored: readonly BacktestPrediction[]): BacktestResult['draws'] {
  const n = Math.max(1, scored.length);
  const predicted = {} as Record<ForecastName, number>;
  for (const name of FORECAST_NAMES) predicted[name] = scored.reduce((sum, p) => sum + p.forecasts[name]!.draw, 0) / n;
  return { observed: scored.filter((p) => p.outcome === 'draw').length / n, predicted };
}

function halfTimeInPlay(scored: readonly BacktestPrediction[], bins: number): BacktestResult['inPlay'] {
  const known = scored.filter((p) => p.halfTime !== null);
  const { firstHalfShare, expectedStoppage } = MODEL_SETTINGS.inPlay;
  const at = (share: number | undefined) =>
    metricSet(
      known.map((p) => ({
        probabilities: inPlayPrediction(
          { homeRate: p.rates.home, awayRate: p.rates.away, rho: p.rates.rho },
          { minute: 45, homeGoals: p.halfTime!.home, awayGoals: p.halfTime!.away },
          { expectedStoppage, firstHalfShare: share },
        ).probabilities,
        outcome: p.outcome,
      })),
      bins,
    );
  const uniform = at(undefined);
  const profiled = at(firstHalfShare);
  return uniform && profiled ? { minute: 45, firstHalfShare, uniform, profiled } : null;
}

/** The market-informed forecasts of a backtest, walk-forward (see {@link BacktestResult.marketInformed}). */
export interface MarketInformedForecasts {
  /** Each scored prediction with prices, from the second scored season on, and its blend. */
  applied: { p: BacktestPrediction; blend: Probabilities1x2 }[];
  /** The market's weight learned for the last season. */
  marketWeight: number;
  seasons: string[];
}

/**
 * Season by season, the pool of the ensemble and the price before kick-off, its weights learned
 * on the earlier seasons' outcomes only: what a match's blend uses is its own forecast and price
 * and what was known before its season began.
 */
export function marketInformedForecasts(
  scored: readonly BacktestPrediction[],
  seasons: readonly string[],
): MarketInformedForecasts {
  const usable = scored.filter((p) => p.earlyMarket !== null && p.market !== null);
  const applied: MarketInformedForecasts['applied'] = [];
  let marketWeight = 0;
  const used: string[] = [];
  for (const season of seasons) {
    const earlier = usable.filter((p) => p.season < season);
    const now = usable.filter((p) => p.season === season);
    if (earlier.length < 300 || now.length === 0) continue;
    const pair = (p: BacktestPrediction) => [p.forecasts.ensemble!, p.earlyMarket!];
    const { weights } = learnEnsembleWeights(earlier.map((p) => ({ predictions: pair(p), outcome: p.outcome })));
    for (const p of now) applied.push({ p, blend: combine(weights, pair(p)) });
    marketWeight = weights[1]!;
    used.push(season);
  }
  return { applied, marketWeight, seasons: used };
}

function marketInformedStudy(
  scored: readonly BacktestPrediction[],
  seasons: readonly string[],
  bins: number,
): MarketInformedStudy | null {
  const { applied, marketWeight, seasons: used } = marketInformedForecasts(scored, seasons);
  if (applied.length === 0) return null;
  const scoredBy = (f: (a: (typeof applied)[number]) => Probabilities1x2) =>
    metricSet(
      applied.map((a) => ({ probabilities: f(a), outcome: a.p.outcome })),
      bins,
    )!;
  const rpsOf = (f: Probabilities1x2, p: BacktestPrediction) => rankedProbabilityScore(f, p.outcome);
  return {
    from: used[0]!,
    to: used.at(-1)!,
    marketWeight,
    blend: scoredBy((a) => a.blend),
    ensemble: scoredBy((a) => a.p.forecasts.ensemble!),
    early: scoredBy((a) => a.p.earlyMarket!),
    closing: scoredBy((a) => a.p.market!),
    vsClosing: bootstrapMean(applied.map((a) => rpsOf(a.blend, a.p) - rpsOf(a.p.market!, a.p))),
    vsEarly: bootstrapMean(applied.map((a) => rpsOf(a.blend, a.p) - rpsOf(a.p.earlyMarket!, a.p))),
  };
}
