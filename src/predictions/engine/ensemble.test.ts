import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../models/testing/synthetic';
import type { Outcome1x2 } from '../models';
import { MODEL_NAMES, type ModelName } from './config';
import {
  ENSEMBLE,
  ensembleProbabilities,
  featureVector,
  learnEnsemble,
  seasonWeights,
  type EnsembleSample,
} from './ensemble';

const features = (v: number[]): Record<ModelName, number> =>
  Object.fromEntries(MODEL_NAMES.map((n, i) => [n, v[i] ?? 0])) as Record<ModelName, number>;

describe('ensemble', () => {
  it('orders features as MODEL_NAMES', () => {
    expect(featureVector(features([1, 2, 3, 4]))).toEqual([1, 2, 3, 4]);
    expect(ENSEMBLE).toBe('ensemble');
  });

  it('learns to lean on the informative feature and stays JSON-serialisable', () => {
    const rng = mulberry32(2);
    const samples: EnsembleSample[] = Array.from({ length: 4000 }, () => {
      const signal = normal(rng);
      const u = rng();
      const pHome = 1 / (1 + Math.exp(-(0.2 + 1.2 * signal)));
      const outcome: Outcome1x2 = u < pHome * 0.8 ? 'home' : u < pHome * 0.8 + 0.25 ? 'draw' : 'away';
      return { features: features([normal(rng), signal, normal(rng), normal(rng)]), outcome };
    });
    const params = learnEnsemble(samples, { first: '2001/02', last: '2004/05' });
    expect(params.kind).toBe('stacked-logit');
    expect(params.trainedOn).toBe(4000);
    expect(params.seasons).toEqual({ first: '2001/02', last: '2004/05' });
    expect(params.coefficients['shots-poisson']).toBeGreaterThan(0.5);
    expect(Math.abs(params.coefficients['dixon-coles'])).toBeLessThan(0.1);
    expect(JSON.parse(JSON.stringify(params))).toEqual(params);
    const strong = ensembleProbabilities(params, features([0, 2, 0, 0]), {} as never);
    const weak = ensembleProbabilities(params, features([0, -2, 0, 0]), {} as never);
    expect(strong.home).toBeGreaterThan(weak.home);
    expect(strong.home + strong.draw + strong.away).toBeCloseTo(1, 12);
  });

  it("pulls a league's coefficients towards a pooled prior, keeping its own base rates", () => {
    const rng = mulberry32(5);
    // A short history in which Elo looks like the signal, by chance of the few matches.
    const samples: EnsembleSample[] = Array.from({ length: 300 }, () => {
      const signal = normal(rng);
      const outcome: Outcome1x2 = rng() < 0.5 + 0.1 * signal ? 'home' : rng() < 0.5 ? 'draw' : 'away';
      return { features: features([normal(rng), normal(rng), signal, normal(rng)]), outcome };
    });
    const prior = { coefficients: features([0.8, 0.2, 0, 0.1]), strength: 1e4 };
    const own = learnEnsemble(samples);
    const pooled = learnEnsemble(samples, undefined, Infinity, Infinity, prior);
    for (const name of MODEL_NAMES) expect(pooled.coefficients[name]).toBeCloseTo(prior.coefficients[name], 2);
    expect(own.coefficients.elo).toBeGreaterThan(0.1);
    // The cutpoints still come from this league's outcomes.
    expect(pooled.cutHome).not.toBeCloseTo(0, 1);
    expect(pooled.trainedOn).toBe(300);
  });

  it('weighs the latest season 1 and halves the weight every half-life before it', () => {
    const at = (season?: string): EnsembleSample => ({ features: features([]), outcome: 'home', season });
    const samples = [at('2010/11'), at('2012/13'), at('2011/12'), at('2012/13'), at()];
    expect(seasonWeights(samples, 2)).toEqual([0.5, 1, Math.SQRT1_2, 1, 1]);
    expect(seasonWeights(samples, Infinity)).toEqual([1, 1, 1, 1, 1]);
    expect(() => seasonWeights(samples, 0)).toThrow(RangeError);
  });

  it("learns the recent seasons' draw rate when they weigh more", () => {
    // Ten seasons: the first five with 35% draws, the last five with 20%; no signal in the features.
    const rng = mulberry32(7);
    const samples: EnsembleSample[] = Array.from({ length: 10 }, (_, s) => {
      const drawRate = s < 5 ? 0.35 : 0.2;
      const season = `${2000 + s}/${String(1 + s).padStart(2, '0')}`;
      return Array.from({ length: 600 }, (): EnsembleSample => {
        const u = rng();
        const outcome: Outcome1x2 = u < drawRate ? 'draw' : u < drawRate + (1 - drawRate) * 0.6 ? 'home' : 'away';
        return { features: features([normal(rng), normal(rng), normal(rng), normal(rng)]), outcome, season };
      });
    }).flat();
    const drawOf = (halfLife: number) =>
      ensembleProbabilities(learnEnsemble(samples, undefined, halfLife), features([0, 0, 0, 0]), {} as never).draw;
    expect(drawOf(Infinity)).toBeGreaterThan(0.25);
    expect(drawOf(1)).toBeLessThan(0.23);
    // Base rates learned again with a short half-life: the latest draw rate, the same weights' signal.
    const recalibrated = learnEnsemble(samples, undefined, Infinity, 1);
    const even = learnEnsemble(samples, undefined, Infinity, Infinity);
    expect(ensembleProbabilities(recalibrated, features([0, 0, 0, 0]), {} as never).draw).toBeLessThan(0.23);
    expect(even).toEqual(learnEnsemble(samples, undefined, Infinity));
    const ratio = (params: typeof even) => params.coefficients.elo / params.coefficients['dixon-coles'];
    expect(ratio(recalibrated)).toBeCloseTo(ratio(even), 9);
  });

  it('without parameters averages the base models', () => {
    const p = { home: 0.5, draw: 0.3, away: 0.2 };
    const q = { home: 0.3, draw: 0.3, away: 0.4 };
    const models = { 'dixon-coles': p, 'shots-poisson': p, elo: q, 'pi-ratings': q };
    const e = ensembleProbabilities(null, features([]), models);
    expect(e.home).toBeCloseTo(0.4, 12);
    expect(e.draw).toBeCloseTo(0.3, 12);
    expect(e.away).toBeCloseTo(0.3, 12);
  });
});
