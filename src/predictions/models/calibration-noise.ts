/**
 * How far a perfectly calibrated forecaster's scores stray by chance alone: the yardstick for a
 * backtest's calibration targets. If outcomes were drawn from the forecasts themselves, the
 * forecasts would be calibrated by construction, yet their binned ECE would not be 0 and the
 * observed draw rate would not equal the mean draw probability. Pure and deterministic for a seed.
 */
import { xorshift32 } from './bootstrap';
import { calibrationReport, type ScoredForecast } from './metrics';
import type { Outcome1x2, Probabilities1x2 } from './types';

/** Chance spread of a calibrated forecaster's ECE and draw rate. */
export interface CalibrationNoise {
  /** ECE over the same bins when outcomes are drawn from the forecasts: mean and 95th percentile. */
  ece: { mean: number; p95: number };
  /** Standard deviation of the observed draw rate around the mean draw probability (exact). */
  drawRateSd: number;
  simulations: number;
}

/** The chance spread for these forecasts (throws RangeError without any). */
export function calibrationNoise(
  forecasts: readonly Probabilities1x2[],
  options: { bins?: number; simulations?: number; seed?: number } = {},
): CalibrationNoise {
  const n = forecasts.length;
  if (n === 0) throw new RangeError('calibrationNoise needs at least one forecast');
  const bins = options.bins ?? 10;
  const simulations = options.simulations ?? 200;
  const random = xorshift32(options.seed ?? 1);
  const eces: number[] = [];
  for (let s = 0; s < simulations; s++) {
    const simulated: ScoredForecast[] = forecasts.map((probabilities) => ({
      probabilities,
      outcome: drawOutcome(probabilities, random()),
    }));
    eces.push(calibrationReport(simulated, bins).ece);
  }
  eces.sort((a, b) => a - b);
  const variance = forecasts.reduce((sum, p) => sum + p.draw * (1 - p.draw), 0);
  return {
    ece: {
      mean: eces.reduce((a, b) => a + b, 0) / simulations,
      p95: eces[Math.min(simulations - 1, Math.round(0.95 * (simulations - 1)))]!,
    },
    drawRateSd: Math.sqrt(variance) / n,
    simulations,
  };
}

function drawOutcome(p: Probabilities1x2, u: number): Outcome1x2 {
  return u < p.home ? 'home' : u < p.home + p.draw ? 'draw' : 'away';
}
