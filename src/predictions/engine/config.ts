/**
 * The forecaster's model registry: names, versions and the tuned settings of each model.
 *
 * VERSIONING RULE: bump a model's version whenever its code (the model file under
 * `src/predictions/models/` or its use in `forecaster.ts`) or its settings below change, and bump
 * 'ensemble' whenever any base model or the stacking changes, because stored predictions and
 * backtest metrics are keyed by (name, version). Then re-run `npm run backtest -- --all` so
 * docs/backtest/ carries the metrics (and each competition's served stacker) of the new versions,
 * and `npm run models:lock`.
 */

/** Base models, in the order of the ensemble's features. */
export const MODEL_NAMES = ['dixon-coles', 'shots-poisson', 'elo', 'pi-ratings'] as const;

/** A base model. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** A base model or the ensemble built on them. */
export type ForecastName = ModelName | 'ensemble';

/** Every forecast the engine produces, base models first. */
export const FORECAST_NAMES: readonly ForecastName[] = [...MODEL_NAMES, 'ensemble'];

/** Version of each forecast (see the versioning rule above). */
export const MODEL_VERSIONS: Readonly<Record<ForecastName, string>> = {
  'dixon-coles': '1.2.0',
  'shots-poisson': '1.1.1',
  elo: '1.1.1',
  'pi-ratings': '1.1.1',
  ensemble: '1.5.0',
};

/**
 * Settings of the base models. Time decays were tuned by walk-forward backtests on seasons before
 * 2012/13 only (EPL 2005/06–2011/12 and the other four leagues 2008/09–2011/12), never on the
 * seasons the README reports.
 */
export const MODEL_SETTINGS = {
  /** Dixon-Coles on goals: ξ 0.0018/day (half-life ≈ 385 days); 0.0012 and 0.0025 were no better. */
  dixonColes: { xi: 0.0018 },
  /**
   * L-BFGS gradient tolerance of both Poisson fits: 1e-5 instead of the library's 1e-7 halves the
   * fit time and moves probabilities by about 1e-5, far below anything the metrics can see.
   */
  fitTolerance: 1e-5,
  /**
   * Poisson strength model on the shots-on-target proxy κ·SOT. Shots are far less noisy than goals,
   * so a much shorter memory pays: ξ 0.01/day (half-life ≈ 70 days) beat 0.0025–0.007 and tied
   * 0.014–0.02 before 2012. κ is re-estimated with ξ 0.002. The standalone 1X2 maps log(λ/μ) through an
   * ordered logit fitted on the last `mappingDays` of history (the raw Poisson grid is too flat:
   * the proxy misses finishing skill, which the goals model keeps).
   */
  shotsPoisson: { xi: 0.01, conversionXi: 0.002, mappingDays: 730, mappingXi: 0.0018 },
  /**
   * World-Football-Elo defaults (K 20, home advantage 65 points). The gap → 1X2 mapping ignores
   * matches whose weight exp(−0.0018·age) is below 1e-3 (older than ≈10.5 years), as Dixon-Coles does.
   */
  elo: { k: 20, homeAdvantage: 65, mappingMinWeight: 1e-3 },
  /** Constantinou & Fenton's published optimum (λ 0.035, γ 0.7); mapping window as for Elo. */
  pi: { lambda: 0.035, gamma: 0.7, mappingMinWeight: 1e-3 },
  /**
   * Ridge of the stacked ensemble on standardised features, the half-life (in seasons) of its
   * samples' weights, the shorter one its base rates (cutpoints and scale) are learned again
   * with, and how strongly a league's coefficients are pulled towards those of a stacker learned
   * on all five leagues (the ridge per unit weight around them instead of around zero; 0: not
   * pooled), all chosen by `npm run tune:stacking` on seasons before 2012/13 only. Pooling: log
   * loss 0.9972 unpooled, 0.9966 at every strength from 1 to 100 there (3 lowest by 1e-5).
   */
  ensemble: { ridge: 1e-4, halfLifeSeasons: 6, baseRateHalfLifeSeasons: Infinity, poolingStrength: 3 },
  /**
   * The in-play model's goal-time profile: the share of a match's goals scored in the first half,
   * 0.4384 in 30,038 matches of the five leagues before 2012/13 (`npm run tune:in-play`; a
   * uniform rate over 98 minutes would put 0.459 there), and the stoppage time it expects.
   */
  inPlay: { firstHalfShare: 0.4384, expectedStoppage: 8 },
  /**
   * A competition with little history (a new league, the first weeks of data) gives fits that are
   * sure of nothing they should be sure of: every forecast is shrunk towards Premier League base
   * rates with weight n / `fullWeightMatches`, and no outcome gets less than `floor`.
   * With the thousands of matches of a real backtest this changes nothing.
   */
  thinHistory: {
    fullWeightMatches: 100,
    baseRates: { home: 0.46, draw: 0.26, away: 0.28 },
    baseGoals: { home: 1.53, away: 1.22 },
    floor: 0.005,
  },
} as const;
