/**
 * Public API of the pure prediction models (no I/O). Internal objective builders stay module-private.
 */
export {
  MS_PER_DAY,
  OUTCOMES_1X2,
  fromArray1x2,
  normalise1x2,
  outcomeIndex,
  outcomeOf,
  sortedMatchesBefore,
  toArray1x2,
  toEpochDays,
  type DateLike,
  type MatchResult,
  type Outcome1x2,
  type Probabilities1x2,
} from './types';

export {
  gradientCheck,
  minimizeLbfgs,
  numericalGradient,
  type LbfgsOptions,
  type LbfgsResult,
  type LbfgsStopReason,
  type ObjectiveWithGradient,
} from './optim';

export {
  DEFAULT_MAX_GOALS,
  asianHandicap,
  bothTeamsToScore,
  dixonColesTau,
  expectedGoals,
  fairLineOdds,
  gridTotal,
  normaliseGrid,
  outcome1x2,
  overUnder,
  poissonPmf,
  scoreGrid,
  shiftGrid,
  topScores,
  totalGoalsDistribution,
  type LineSettlement,
  type ReadonlyScoreGrid,
  type ScoreGrid,
  type ScoreGridOptions,
  type ScoreProbability,
} from './score-grid';

export {
  DEFAULT_XI,
  DixonColesModel,
  fitDixonColes,
  type DixonColesDiagnostics,
  type DixonColesFitOptions,
  type DixonColesPredictOptions,
  type DixonColesPrediction,
  type TeamRating,
} from './dixon-coles';

export {
  baseRateOrderedLogit,
  fitOrderedLogit,
  orderedLogitProbabilities,
  sigmoid,
  type OrderedLogit,
  type OrderedLogitObservation,
} from './ordered-logit';

export {
  EloRatings,
  eloExpectedScore,
  eloUpdate,
  fitEloModel,
  goalDifferenceMultiplier,
  runElo,
  type EloModel,
  type EloModelOptions,
  type EloOptions,
  type EloStep,
  type EloUpdate,
} from './elo';

export {
  PiRatings,
  fitPiModel,
  piExpectedGoalDifference,
  piUpdate,
  runPiRatings,
  type PiModel,
  type PiModelOptions,
  type PiRatingOptions,
  type PiStep,
  type PiTeamRating,
  type PiUpdate,
} from './pi-ratings';

export {
  edge1x2,
  expectedValue,
  fairOdds,
  implied1x2,
  impliedProbabilities,
  kellyFraction,
  overround,
  probabilityEdge,
  rawImpliedProbabilities,
  type Edge1x2,
  type ImpliedProbabilities,
  type MarginMethod,
  type Odds1x2,
} from './odds';

export {
  brierScore,
  calibrationReport,
  expectedCalibrationError,
  logLoss,
  mostLikely,
  rankedProbabilityScore,
  rankedProbabilityScoreOrdinal,
  reliabilityCurve,
  summariseForecasts,
  type CalibrationReport,
  type ForecastSummary,
  type ReliabilityBin,
  type ReliabilityCurve,
  type ScoredForecast,
} from './metrics';

export {
  firstHalfGoalShare,
  inPlayPrediction,
  remainingShare,
  type InPlayOptions,
  type InPlayPrediction,
  type InPlayState,
  type PreMatchRates,
} from './in-play';

export {
  combine,
  learnEnsembleWeights,
  type EnsembleFitOptions,
  type EnsembleLoss,
  type EnsembleSample,
  type EnsembleWeights,
} from './ensemble';

export {
  DEFAULT_SHOT_CONVERSION,
  fitShotConversion,
  proxyGoals,
  type MatchWithShots,
  type ShotConversion,
  type ShotConversionOptions,
  type ShotCounts,
} from './shot-proxy';

export {
  fitStackedLogit,
  stackedLogitProbabilities,
  type StackedLogit,
  type StackedLogitOptions,
  type StackedObservation,
} from './stacked-logit';
export { bootstrapMean, type BootstrapInterval, type BootstrapOptions } from './bootstrap';
export { calibrationNoise, type CalibrationNoise } from './calibration-noise';
