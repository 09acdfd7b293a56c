/**
 * Aggregation of scored forecasts into the backtest's metric sets (mean RPS, Brier, log loss,
 * accuracy and expected calibration error), per group and overall.
 */
import { calibrationReport, summariseForecasts, type CalibrationReport, type ScoredForecast } from '../models';

/** Mean scores of one forecaster over a set of matches. */
export interface MetricSet {
  /** Matches scored. */
  matches: number;
  /** Mean ranked probability score (÷2 convention; lower is better). */
  rps: number;
  /** Mean multi-class Brier score (0–2). */
  brier: number;
  /** Mean log loss (nats). */
  logLoss: number;
  /** Share of matches whose most likely outcome happened. */
  accuracy: number;
  /** Class-wise expected calibration error (mean over home/draw/away of the binned ECE). */
  ece: number;
}

/** Metric set of the forecasts, or null when there are none (so JSON never carries NaN). */
export function metricSet(forecasts: readonly ScoredForecast[], bins = 10): MetricSet | null {
  if (forecasts.length === 0) return null;
  const s = summariseForecasts(forecasts);
  return {
    matches: s.count,
    rps: s.rps,
    brier: s.brier,
    logLoss: s.logLoss,
    accuracy: s.accuracy,
    ece: calibrationReport(forecasts, bins).ece,
  };
}

/** RPS of `model` divided by RPS of `market` (null when either is missing). */
export function rpsRatio(model: MetricSet | null, market: MetricSet | null): number | null {
  return model && market && market.rps > 0 ? model.rps / market.rps : null;
}

/** Calibration curves in a compact JSON form: per outcome, bins of [meanPredicted, observed, count]. */
export interface CompactCalibration {
  ece: number;
  home: [number, number, number][];
  draw: [number, number, number][];
  away: [number, number, number][];
}

/** Compact form of {@link calibrationReport}. */
export function compactCalibration(forecasts: readonly ScoredForecast[], bins = 10): CompactCalibration {
  const report: CalibrationReport = calibrationReport(forecasts, bins);
  const pick = (o: 'home' | 'draw' | 'away'): [number, number, number][] =>
    report[o].bins.map((b) => [b.meanPredicted, b.observedFrequency, b.count]);
  return { ece: report.ece, home: pick('home'), draw: pick('draw'), away: pick('away') };
}
