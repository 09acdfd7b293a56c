/**
 * Public API of the prediction engine (pure, no I/O): the forecaster used by the service and the
 * walk-forward backtest used by `npm run backtest` / `npm run bench`.
 */
export {
  FORECAST_NAMES,
  MODEL_NAMES,
  MODEL_SETTINGS,
  MODEL_VERSIONS,
  type ForecastName,
  type ModelName,
} from './config';

export {
  fitForecaster,
  type FittedForecaster,
  type FittedModels,
  type FixtureForecast,
  type ForecasterOptions,
  type HistoricalMatch,
} from './forecaster';

export {
  ENSEMBLE,
  ensembleProbabilities,
  featureVector,
  learnEnsemble,
  type EnsembleParameters,
  type EnsembleParameters as EnsembleWeights,
  type EnsembleSample,
} from './ensemble';

export { ratesForEdge, type GoalRates } from './score-rates';

export { compactCalibration, metricSet, rpsRatio, type CompactCalibration, type MetricSet } from './backtest-metrics';

export {
  planBacktest,
  predictBlocks,
  runBacktest,
  scoreBacktest,
  type BacktestMatch,
  type BacktestPlan,
  type BacktestOptions,
  type BacktestPrediction,
  type BacktestProgress,
  type BacktestResult,
  type BacktestSeason,
  type RefitBlock,
} from './backtest';

export { backtestJson, backtestSummaryMarkdown, formatBacktestTable, type BacktestJson } from './backtest-report';

export { calibrationSvg, type CalibrationSvgOptions } from './calibration-svg';
