/**
 * Forecast-evaluation metrics for 1X2 probabilities: ranked probability score, Brier score,
 * log loss, accuracy and calibration (binned reliability + expected calibration error).
 * Conventions: lower is better for RPS/Brier/log loss.
 */
import { OUTCOMES_1X2, outcomeIndex, toArray1x2, type Outcome1x2, type Probabilities1x2 } from './types';

/**
 * Ranked probability score for ordered categories (Epstein 1969):
 * RPS = Σ_{i<r} (F_i − O_i)² / (r − 1), with F, O the cumulative forecast / outcome vectors.
 * In [0, 1]. `probs` need not be normalised exactly.
 */
export function rankedProbabilityScoreOrdinal(probs: ArrayLike<number>, outcome: number): number {
  const r = probs.length;
  if (r < 2) return 0;
  let cf = 0;
  let s = 0;
  for (let i = 0; i < r - 1; i++) {
    cf += probs[i]!;
    const co = outcome <= i ? 1 : 0;
    s += (cf - co) ** 2;
  }
  return s / (r - 1);
}

/**
 * 1X2 ranked probability score with outcomes ordered home < draw < away, divided by r − 1 = 2:
 * RPS = [(p_H − o_H)² + (p_H + p_D − o_H − o_D)²] / 2. E.g. (1/3,1/3,1/3) with a home win → 0.2778.
 */
export function rankedProbabilityScore(p: Probabilities1x2, outcome: Outcome1x2): number {
  return rankedProbabilityScoreOrdinal(toArray1x2(p), outcomeIndex(outcome));
}

/**
 * Multi-class Brier score, Σ over the three outcomes of (p_k − o_k)² (Brier 1950 original form),
 * in [0, 2]. (Some sources divide by 3 or score only one class; this one does not.)
 */
export function brierScore(p: Probabilities1x2, outcome: Outcome1x2): number {
  const a = toArray1x2(p);
  const k = outcomeIndex(outcome);
  let s = 0;
  for (let i = 0; i < 3; i++) s += (a[i]! - (i === k ? 1 : 0)) ** 2;
  return s;
}

/** Log loss −ln p(outcome) in nats; the probability is clamped below at `eps` (default 1e-15). */
export function logLoss(p: Probabilities1x2, outcome: Outcome1x2, eps = 1e-15): number {
  return -Math.log(Math.max(eps, p[outcome]));
}

/** The most likely outcome; ties resolve in the order home, draw, away. */
export function mostLikely(p: Probabilities1x2): Outcome1x2 {
  if (p.home >= p.draw && p.home >= p.away) return 'home';
  return p.draw >= p.away ? 'draw' : 'away';
}

/** One evaluated forecast. */
export interface ScoredForecast {
  /** Forecast probabilities. */
  probabilities: Probabilities1x2;
  /** What happened. */
  outcome: Outcome1x2;
}

/** Mean scores over a set of forecasts. */
export interface ForecastSummary {
  /** Number of forecasts. */
  count: number;
  /** Mean RPS (÷2 convention). */
  rps: number;
  /** Mean multi-class Brier (0–2). */
  brier: number;
  /** Mean log loss (nats). */
  logLoss: number;
  /** Fraction where the most likely outcome happened. */
  accuracy: number;
}

/** Mean RPS, Brier, log loss and accuracy; all NaN (count 0) for an empty list. */
export function summariseForecasts(forecasts: readonly ScoredForecast[]): ForecastSummary {
  const n = forecasts.length;
  let rps = 0;
  let brier = 0;
  let ll = 0;
  let hits = 0;
  for (const f of forecasts) {
    rps += rankedProbabilityScore(f.probabilities, f.outcome);
    brier += brierScore(f.probabilities, f.outcome);
    ll += logLoss(f.probabilities, f.outcome);
    if (mostLikely(f.probabilities) === f.outcome) hits++;
  }
  return { count: n, rps: rps / n, brier: brier / n, logLoss: ll / n, accuracy: hits / n };
}

/** One reliability bin: forecasts whose probability for the outcome fell in [lower, upper). */
export interface ReliabilityBin {
  /** Bin lower edge (inclusive). */
  lower: number;
  /** Bin upper edge (exclusive; the last bin includes 1). */
  upper: number;
  /** Mean forecast probability in the bin. */
  meanPredicted: number;
  /** Fraction of those forecasts where the outcome happened. */
  observedFrequency: number;
  /** Number of forecasts in the bin. */
  count: number;
}

/** Reliability of one outcome's probabilities. */
export interface ReliabilityCurve {
  /** Outcome whose probabilities are assessed. */
  outcome: Outcome1x2;
  /** Non-empty bins, ascending (empty bins are omitted). */
  bins: ReliabilityBin[];
  /** Expected calibration error Σ (n_b/N)·|meanPredicted − observed|. */
  ece: number;
}

/** Calibration report for all three outcomes. */
export interface CalibrationReport {
  /** Reliability of the home-win probabilities. */
  home: ReliabilityCurve;
  /** Reliability of the draw probabilities. */
  draw: ReliabilityCurve;
  /** Reliability of the away-win probabilities. */
  away: ReliabilityCurve;
  /** Class-wise ECE: mean of the three per-outcome ECEs. */
  ece: number;
}

/** Expected calibration error of a set of bins: Σ (n_b/N)·|meanPredicted_b − observed_b| (0 if empty). */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  let n = 0;
  let s = 0;
  for (const b of bins) {
    n += b.count;
    s += b.count * Math.abs(b.meanPredicted - b.observedFrequency);
  }
  return n > 0 ? s / n : 0;
}

/** Binned reliability for one outcome with `bins` equal-width bins on [0, 1] (default 10). */
export function reliabilityCurve(
  forecasts: readonly ScoredForecast[],
  outcome: Outcome1x2,
  bins = 10,
): ReliabilityCurve {
  const k = Math.max(1, Math.floor(bins));
  const sumP = new Float64Array(k);
  const hits = new Float64Array(k);
  const count = new Float64Array(k);
  for (const f of forecasts) {
    const p = f.probabilities[outcome];
    const b = Math.min(k - 1, Math.max(0, Math.floor(p * k)));
    sumP[b] = sumP[b]! + p;
    hits[b] = hits[b]! + (f.outcome === outcome ? 1 : 0);
    count[b] = count[b]! + 1;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < k; b++) {
    const c = count[b]!;
    if (c === 0) continue;
    out.push({
      lower: b / k,
      upper: (b + 1) / k,
      meanPredicted: sumP[b]! / c,
      observedFrequency: hits[b]! / c,
      count: c,
    });
  }
  return { outcome, bins: out, ece: expectedCalibrationError(out) };
}

/** Reliability curves and ECE for home, draw and away probabilities (default 10 bins). */
export function calibrationReport(forecasts: readonly ScoredForecast[], bins = 10): CalibrationReport {
  const [home, draw, away] = OUTCOMES_1X2.map((o) => reliabilityCurve(forecasts, o, bins)) as [
    ReliabilityCurve,
    ReliabilityCurve,
    ReliabilityCurve,
  ];
  return { home, draw, away, ece: (home.ece + draw.ece + away.ece) / 3 };
}
