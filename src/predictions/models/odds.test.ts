import { describe, expect, it } from 'vitest';
import {
  edge1x2,
  expectedValue,
  fairOdds,
  implied1x2,
  impliedProbabilities,
  kellyFraction,
  overround,
  probabilityEdge,
} from './odds';

const book = [1.5, 4.2, 7.0]; // booksum 1.047619

describe('impliedProbabilities', () => {
  it('multiplicative matches a hand computation', () => {
    const r = impliedProbabilities([2.0, 3.5, 4.0]);
    // π = 0.5, 0.285714, 0.25; Σ = 1.035714
    expect(r.overround).toBeCloseTo(0.035714, 6);
    expect(r.probabilities[0]).toBeCloseTo(0.5 / 1.0357142857, 9);
    expect(r.probabilities[2]).toBeCloseTo(0.25 / 1.0357142857, 9);
  });

  it('power and Shin match independently computed values', () => {
    const p = impliedProbabilities(book, 'power');
    expect(p.parameter).toBeCloseTo(1.0554179, 6);
    expect(p.probabilities[0]).toBeCloseTo(0.6518537, 6);
    expect(p.probabilities[2]).toBeCloseTo(0.1282532, 6);
    const s = impliedProbabilities(book, 'shin');
    expect(s.parameter).toBeCloseTo(0.0241298, 6);
    expect(s.probabilities[0]).toBeCloseTo(0.6470951, 6);
    expect(s.probabilities[1]).toBeCloseTo(0.2234406, 6);
    expect(s.probabilities[2]).toBeCloseTo(0.1294643, 6);
  });

  it('all methods sum to 1 and shade longshots more than multiplicative', () => {
    const m = impliedProbabilities(book, 'multiplicative').probabilities;
    for (const method of ['multiplicative', 'power', 'shin'] as const) {
      const r = impliedProbabilities(book, method).probabilities;
      expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      if (method !== 'multiplicative') {
        expect(r[0]).toBeGreaterThan(m[0]!);
        expect(r[2]).toBeLessThan(m[2]!);
      }
    }
  });

  it('returns the same probabilities on a fair (zero-margin) book for every method', () => {
    const fair = [2, 4, 4];
    for (const method of ['multiplicative', 'power', 'shin'] as const) {
      const r = impliedProbabilities(fair, method);
      expect(r.overround).toBeCloseTo(0, 14);
      expect(r.probabilities[0]).toBeCloseTo(0.5, 12);
      expect(r.probabilities[1]).toBeCloseTo(0.25, 12);
      expect(r.probabilities[2]).toBeCloseTo(0.25, 12);
    }
    expect(impliedProbabilities(fair, 'shin').parameter).toBe(0);
  });

  it('Shin z = 0 gives π/√Π, so a tiny margin gives tiny z', () => {
    const r = impliedProbabilities([1.99, 3.99, 3.99], 'shin');
    expect(r.parameter).toBeGreaterThan(0);
    expect(r.parameter).toBeLessThan(0.02);
  });

  it('handles two-way markets and rejects invalid odds', () => {
    const r = impliedProbabilities([1.91, 1.91], 'shin');
    expect(r.probabilities[0]).toBeCloseTo(0.5, 12);
    expect(() => impliedProbabilities([1, 2])).toThrow(RangeError);
    expect(() => overround([NaN, 2])).toThrow(RangeError);
  });

  it('implied1x2 maps to home/draw/away', () => {
    const p = implied1x2({ home: 2.0, draw: 3.5, away: 4.0 }, 'shin');
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
    expect(p.home).toBeGreaterThan(p.away);
  });
});

describe('edges', () => {
  it('expected value, probability edge, Kelly, fair odds', () => {
    expect(expectedValue(0.5, 2.2)).toBeCloseTo(0.1, 14);
    expect(expectedValue(0.4, 2.0)).toBeCloseTo(-0.2, 14);
    expect(probabilityEdge(0.55, 0.5)).toBeCloseTo(0.05, 14);
    expect(kellyFraction(0.5, 2.2)).toBeCloseTo(0.1 / 1.2, 14);
    expect(kellyFraction(0.4, 2.0)).toBe(0);
    expect(fairOdds(0.25)).toBe(4);
    expect(fairOdds(0)).toBe(Infinity);
  });

  it('edge1x2 compares a model with a book', () => {
    const e = edge1x2({ home: 0.5, draw: 0.25, away: 0.25 }, { home: 2.0, draw: 3.5, away: 4.0 });
    expect(e.market.home).toBeCloseTo(0.5 / 1.0357142857, 9);
    expect(e.probabilityEdge.home).toBeCloseTo(0.5 - 0.5 / 1.0357142857, 9);
    expect(e.expectedValue.home).toBeCloseTo(0, 14);
    expect(e.expectedValue.away).toBeCloseTo(0, 14);
    expect(e.expectedValue.draw).toBeCloseTo(-0.125, 14);
  });
});
