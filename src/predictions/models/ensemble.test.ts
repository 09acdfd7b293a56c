import { describe, expect, it } from 'vitest';
import { combine, ensembleObjective, learnEnsembleWeights, type EnsembleSample } from './ensemble';
import { summariseForecasts } from './metrics';
import { gradientCheck } from './optim';
import { mulberry32 } from './testing/synthetic';
import type { Outcome1x2, Probabilities1x2 } from './types';

function simulate(n: number, seed: number) {
  const rng = mulberry32(seed);
  const samples: { truth: Probabilities1x2; outcome: Outcome1x2 }[] = [];
  for (let i = 0; i < n; i++) {
    const h = 0.2 + 0.5 * rng();
    const d = 0.22 + 0.08 * rng();
    const truth = { home: h, draw: d, away: 1 - h - d };
    const u = rng();
    samples.push({ truth, outcome: u < truth.home ? 'home' : u < truth.home + truth.draw ? 'draw' : 'away' });
  }
  return samples;
}
const uniform: Probabilities1x2 = { home: 1 / 3, draw: 1 / 3, away: 1 / 3 };
/** Sharpen (t > 1) or flatten (t < 1) probabilities. */
const temper = (p: Probabilities1x2, t: number): Probabilities1x2 => {
  const a = p.home ** t;
  const b = p.draw ** t;
  const c = p.away ** t;
  const s = a + b + c;
  return { home: a / s, draw: b / s, away: c / s };
};

describe('combine', () => {
  it('is the weighted average with normalised weights', () => {
    const p = combine(
      [3, 1],
      [
        { home: 0.6, draw: 0.2, away: 0.2 },
        { home: 0.2, draw: 0.4, away: 0.4 },
      ],
    );
    expect(p.home).toBeCloseTo(0.5, 14);
    expect(p.draw).toBeCloseTo(0.25, 14);
    expect(combine([0, 0], [uniform, uniform]).home).toBeCloseTo(1 / 3, 14);
    expect(() => combine([1], [uniform, uniform])).toThrow(RangeError);
  });
});

describe('learnEnsembleWeights', () => {
  const sims = simulate(4000, 17);

  it('puts (almost) all weight on the true model against an uninformative one', () => {
    const samples: EnsembleSample[] = sims.map((s) => ({ predictions: [s.truth, uniform], outcome: s.outcome }));
    for (const loss of ['logLoss', 'rps', 'brier'] as const) {
      const w = learnEnsembleWeights(samples, { loss });
      expect(w.weights[0]).toBeGreaterThan(0.85);
      expect(w.weights[0]! + w.weights[1]!).toBeCloseTo(1, 12);
      expect(w.loss).toBeLessThanOrEqual(Math.min(...w.modelLosses) + 1e-6);
    }
  });

  it('mixes an over- and an under-confident model to beat both', () => {
    const samples: EnsembleSample[] = sims.map((s) => ({
      predictions: [temper(s.truth, 2.5), temper(s.truth, 0.3)],
      outcome: s.outcome,
    }));
    const w = learnEnsembleWeights(samples, { loss: 'rps' });
    expect(w.weights[0]).toBeGreaterThan(0.1);
    expect(w.weights[1]).toBeGreaterThan(0.1);
    expect(w.loss).toBeLessThan(Math.min(...w.modelLosses));
    // Reported loss equals the RPS of the combined forecasts.
    const combined = samples.map((s) => ({ probabilities: combine(w.weights, s.predictions), outcome: s.outcome }));
    expect(summariseForecasts(combined).rps).toBeCloseTo(w.loss, 10);
  });

  it('has correct analytic gradients for every loss', () => {
    const samples: EnsembleSample[] = sims.slice(0, 50).map((s, i) => ({
      predictions: [s.truth, uniform, temper(s.truth, 2)],
      outcome: s.outcome,
      weight: 1 + (i % 3),
    }));
    for (const loss of ['logLoss', 'rps', 'brier'] as const) {
      expect(gradientCheck(ensembleObjective(samples, 3, loss, 0.01), [0.3, -0.2, 0.5])).toBeLessThan(1e-8);
    }
  });

  it('returns equal weights with no samples or a single model', () => {
    expect(learnEnsembleWeights([]).weights).toEqual([]);
    const one = learnEnsembleWeights([{ predictions: [uniform], outcome: 'home' }]);
    expect(one.weights).toEqual([1]);
    expect(one.loss).toBeCloseTo(Math.log(3), 12);
  });
});
