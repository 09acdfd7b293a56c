import { describe, expect, it } from 'vitest';
import { fitOrderedLogit, orderedLogitProbabilities } from './ordered-logit';
import { gradientCheck } from './optim';
import {
  fitStackedLogit,
  stackedLogitObjective,
  stackedLogitProbabilities,
  type StackedLogit,
  type StackedObservation,
} from './stacked-logit';
import { mulberry32, normal } from './testing/synthetic';
import type { Outcome1x2 } from './types';

function draw(model: StackedLogit, x: number[], u: number): Outcome1x2 {
  const p = stackedLogitProbabilities(model, x);
  return u < p.away ? 'away' : u < p.away + p.draw ? 'draw' : 'home';
}

describe('stacked ordered logit', () => {
  it('has a correct analytic gradient', () => {
    const rng = mulberry32(4);
    const n = 150;
    const k = 3;
    const z = Float64Array.from({ length: n * k }, () => normal(rng));
    const ws = Float64Array.from({ length: n }, () => rng() / n);
    const ks = Uint8Array.from({ length: n }, () => Math.floor(rng() * 3));
    const err = gradientCheck(stackedLogitObjective(z, k, ws, ks, 1e-3), [0.3, -0.2, 0.5, -0.7, -0.2]);
    expect(err).toBeLessThan(1e-8);
  });

  it('recovers known coefficients and ignores a useless feature', () => {
    const rng = mulberry32(21);
    const truth: StackedLogit = { coefficients: [0.9, 0.4, 0], cutAway: -0.8, cutHome: 0.4, count: 0 };
    const obs: StackedObservation[] = Array.from({ length: 20000 }, () => {
      const x = [normal(rng), 2 * normal(rng), normal(rng)];
      return { x, outcome: draw(truth, x, rng()) };
    });
    const fit = fitStackedLogit(obs);
    expect(fit.count).toBe(20000);
    expect(fit.coefficients[0]).toBeCloseTo(0.9, 1);
    expect(fit.coefficients[1]).toBeCloseTo(0.4, 1);
    expect(Math.abs(fit.coefficients[2]!)).toBeLessThan(0.05);
    expect(fit.cutAway).toBeCloseTo(-0.8, 1);
    expect(fit.cutHome).toBeCloseTo(0.4, 1);
  });

  it('shrinks towards a prior instead of zero: the further, the less data it has', () => {
    const rng = mulberry32(33);
    const truth: StackedLogit = { coefficients: [0.9, 0.4], cutAway: -0.8, cutHome: 0.4, count: 0 };
    const sample = (n: number) =>
      Array.from({ length: n }, () => {
        const x = [normal(rng), normal(rng)];
        return { x, outcome: draw(truth, x, rng()) };
      });
    const prior = [0.2, 1.2];
    const few = sample(200);
    // A strong pull lands on the prior; none leaves the data's own fit.
    expect(fitStackedLogit(few, { ridge: 1e4, prior }).coefficients[0]).toBeCloseTo(0.2, 2);
    expect(fitStackedLogit(few, { ridge: 1e4, prior }).coefficients[1]).toBeCloseTo(1.2, 2);
    const own = fitStackedLogit(few, { ridge: 0 });
    const pulled = fitStackedLogit(few, { ridge: 1, prior });
    expect(Math.abs(pulled.coefficients[0]! - 0.2)).toBeLessThan(Math.abs(own.coefficients[0]! - 0.2));
    // Many matches: the same pull hardly moves the fit off the truth.
    const many = fitStackedLogit(sample(20000), { ridge: 1e-3, prior });
    expect(many.coefficients[0]).toBeCloseTo(0.9, 1);
    expect(many.coefficients[1]).toBeCloseTo(0.4, 1);
  });

  it('with one feature agrees with the single-feature ordered logit', () => {
    const rng = mulberry32(8);
    const obs = Array.from({ length: 3000 }, () => {
      const x = normal(rng);
      const u = rng();
      return { x, outcome: (u < 0.3 - 0.1 * x ? 'away' : u < 0.55 ? 'draw' : 'home') as Outcome1x2 };
    });
    const single = fitOrderedLogit(obs);
    const stacked = fitStackedLogit(
      obs.map((o) => ({ x: [o.x], outcome: o.outcome })),
      { ridge: 0 },
    );
    for (const x of [-2, 0, 1.5]) {
      const a = orderedLogitProbabilities(single, x);
      const b = stackedLogitProbabilities(stacked, [x]);
      expect(b.home).toBeCloseTo(a.home, 3);
      expect(b.away).toBeCloseTo(a.away, 3);
    }
  });

  it('falls back to base rates without data and skips non-finite rows', () => {
    const empty = fitStackedLogit([]);
    const p = stackedLogitProbabilities(empty, []);
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
    expect(p.home).toBeCloseTo(0.46, 2);
    const fit = fitStackedLogit([
      { x: [Number.NaN], outcome: 'home' },
      { x: [1], outcome: 'home' },
      { x: [-1], outcome: 'away' },
      { x: [0], outcome: 'draw' },
    ]);
    expect(fit.count).toBe(3);
    expect(fit.coefficients.every(Number.isFinite)).toBe(true);
  });
});
