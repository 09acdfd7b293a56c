import { describe, expect, it } from 'vitest';
import {
  baseRateOrderedLogit,
  fitOrderedLogit,
  orderedLogitObjective,
  orderedLogitProbabilities,
  sigmoid,
  type OrderedLogit,
  type OrderedLogitObservation,
} from './ordered-logit';
import { gradientCheck } from './optim';
import { mulberry32, normal } from './testing/synthetic';
import type { Outcome1x2 } from './types';

function sample(model: OrderedLogit, x: number, u: number): Outcome1x2 {
  const p = orderedLogitProbabilities(model, x);
  return u < p.away ? 'away' : u < p.away + p.draw ? 'draw' : 'home';
}

describe('ordered logit', () => {
  it('probabilities sum to 1 and move towards home as x grows', () => {
    const m: OrderedLogit = { slope: 0.8, cutAway: -1, cutHome: 0.2, count: 0 };
    let prevHome = 0;
    for (const x of [-3, -1, 0, 1, 3]) {
      const p = orderedLogitProbabilities(m, x);
      expect(p.home + p.draw + p.away).toBeCloseTo(1, 14);
      expect(p.home).toBeGreaterThan(prevHome);
      prevHome = p.home;
    }
    const p0 = orderedLogitProbabilities(m, 0);
    expect(p0.away).toBeCloseTo(sigmoid(-1), 14);
    expect(p0.home).toBeCloseTo(1 - sigmoid(0.2), 14);
  });

  it('base-rate mapping reproduces its rates', () => {
    const p = orderedLogitProbabilities(baseRateOrderedLogit({ home: 0.5, draw: 0.2, away: 0.3 }), 123);
    expect(p.home).toBeCloseTo(0.5, 12);
    expect(p.draw).toBeCloseTo(0.2, 12);
    expect(p.away).toBeCloseTo(0.3, 12);
    expect(fitOrderedLogit([]).count).toBe(0);
  });

  it('recovers known parameters from simulated data (feature on an Elo-like scale)', () => {
    const rng = mulberry32(11);
    const truth: OrderedLogit = { slope: 0.005, cutAway: -0.9, cutHome: 0.35, count: 0 };
    const obs: OrderedLogitObservation[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = 60 + 150 * normal(rng);
      obs.push({ x, outcome: sample(truth, x, rng()) });
    }
    const fit = fitOrderedLogit(obs);
    expect(fit.count).toBe(20000);
    expect(fit.slope).toBeCloseTo(truth.slope, 3);
    expect(Math.abs(fit.slope / truth.slope - 1)).toBeLessThan(0.06);
    expect(Math.abs(fit.cutAway - truth.cutAway)).toBeLessThan(0.06);
    expect(Math.abs(fit.cutHome - truth.cutHome)).toBeLessThan(0.06);
  });

  it('is (approximately) calibrated in the large on its training data', () => {
    const rng = mulberry32(5);
    const obs: OrderedLogitObservation[] = Array.from({ length: 3000 }, () => {
      const x = normal(rng);
      const u = rng();
      return { x, outcome: u < 0.3 - 0.1 * x ? 'away' : u < 0.55 ? 'draw' : 'home', weight: 0.5 + rng() };
    });
    const fit = fitOrderedLogit(obs);
    let w = 0;
    let predAway = 0;
    let obsAway = 0;
    let predHome = 0;
    let obsHome = 0;
    for (const o of obs) {
      const p = orderedLogitProbabilities(fit, o.x);
      const wt = o.weight ?? 1;
      w += wt;
      predAway += wt * p.away;
      obsAway += wt * (o.outcome === 'away' ? 1 : 0);
      predHome += wt * p.home;
      obsHome += wt * (o.outcome === 'home' ? 1 : 0);
    }
    expect(predAway / w).toBeCloseTo(obsAway / w, 2);
    expect(predHome / w).toBeCloseTo(obsHome / w, 2);
  });

  it('stays finite on separable data and on a constant feature', () => {
    const sep = fitOrderedLogit([
      { x: -1, outcome: 'away' },
      { x: 0, outcome: 'draw' },
      { x: 1, outcome: 'home' },
    ]);
    expect(Number.isFinite(sep.slope)).toBe(true);
    const constant = fitOrderedLogit([
      { x: 2, outcome: 'home' },
      { x: 2, outcome: 'home' },
      { x: 2, outcome: 'draw' },
      { x: 2, outcome: 'away' },
    ]);
    const p = orderedLogitProbabilities(constant, 2);
    expect(p.home).toBeCloseTo(0.5, 4);
    expect(p.draw).toBeCloseTo(0.25, 4);
  });
});

describe('orderedLogitObjective', () => {
  it('has a correct analytic gradient', () => {
    const rng = mulberry32(3);
    const n = 200;
    const xs = Float64Array.from({ length: n }, () => normal(rng));
    const ws = Float64Array.from({ length: n }, () => rng() / n);
    const ks = Uint8Array.from({ length: n }, () => Math.floor(rng() * 3));
    expect(gradientCheck(orderedLogitObjective(xs, ws, ks, 1e-3), [0.4, -0.6, -0.3])).toBeLessThan(1e-8);
  });
});
