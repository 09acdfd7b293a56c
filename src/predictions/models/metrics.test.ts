import { describe, expect, it } from 'vitest';
import {
  brierScore,
  calibrationReport,
  expectedCalibrationError,
  logLoss,
  mostLikely,
  rankedProbabilityScore,
  rankedProbabilityScoreOrdinal,
  reliabilityCurve,
  summariseForecasts,
  type ScoredForecast,
} from './metrics';
import type { Probabilities1x2 } from './types';

const p = (home: number, draw: number, away: number): Probabilities1x2 => ({ home, draw, away });
const third = p(1 / 3, 1 / 3, 1 / 3);

describe('rankedProbabilityScore (÷2 convention)', () => {
  it('is 0 for a certain correct forecast and 1 for the opposite extreme', () => {
    expect(rankedProbabilityScore(p(1, 0, 0), 'home')).toBe(0);
    expect(rankedProbabilityScore(p(1, 0, 0), 'away')).toBe(1);
    expect(rankedProbabilityScore(p(0, 0, 1), 'home')).toBe(1);
  });
  it('matches hand-worked values', () => {
    // F = (1/3, 2/3), O = (1, 1): ((2/3)² + (1/3)²)/2 = (4/9 + 1/9)/2 = 5/18
    expect(rankedProbabilityScore(third, 'home')).toBeCloseTo(5 / 18, 14);
    expect(rankedProbabilityScore(third, 'home')).toBeCloseTo(0.2778, 4);
    // O = (0, 1): ((1/3)² + (1/3)²)/2 = 1/9
    expect(rankedProbabilityScore(third, 'draw')).toBeCloseTo(1 / 9, 14);
    expect(rankedProbabilityScore(third, 'away')).toBeCloseTo(5 / 18, 14);
    // F = (0.5, 0.8), O = (0, 0): (0.25 + 0.64)/2
    expect(rankedProbabilityScore(p(0.5, 0.3, 0.2), 'away')).toBeCloseTo(0.445, 14);
    // Drawing-biased miss is cheaper than a far miss (ordering matters).
    expect(rankedProbabilityScore(p(0, 1, 0), 'home')).toBeLessThan(rankedProbabilityScore(p(0, 0, 1), 'home'));
  });
  it('generalises to r categories', () => {
    expect(rankedProbabilityScoreOrdinal([0.25, 0.25, 0.25, 0.25], 0)).toBeCloseTo((0.5625 + 0.25 + 0.0625) / 3, 14);
  });
});

describe('brierScore (multi-class sum, 0–2)', () => {
  it('matches hand-worked values', () => {
    expect(brierScore(third, 'home')).toBeCloseTo(4 / 9 + 1 / 9 + 1 / 9, 14);
    expect(brierScore(p(0.5, 0.3, 0.2), 'home')).toBeCloseTo(0.25 + 0.09 + 0.04, 14);
    expect(brierScore(p(1, 0, 0), 'away')).toBe(2);
    expect(brierScore(p(0, 0, 1), 'away')).toBe(0);
  });
});

describe('logLoss / accuracy', () => {
  it('logLoss is −ln p(outcome), clamped', () => {
    expect(logLoss(p(0.5, 0.3, 0.2), 'home')).toBeCloseTo(Math.log(2), 14);
    expect(logLoss(third, 'draw')).toBeCloseTo(Math.log(3), 14);
    expect(logLoss(p(1, 0, 0), 'draw')).toBeCloseTo(-Math.log(1e-15), 8);
  });
  it('mostLikely resolves ties home, draw, away', () => {
    expect(mostLikely(third)).toBe('home');
    expect(mostLikely(p(0.2, 0.4, 0.4))).toBe('draw');
    expect(mostLikely(p(0.2, 0.3, 0.5))).toBe('away');
  });
  it('summarises a set of forecasts', () => {
    const fs: ScoredForecast[] = [
      { probabilities: p(0.5, 0.3, 0.2), outcome: 'home' },
      { probabilities: third, outcome: 'draw' },
    ];
    const s = summariseForecasts(fs);
    expect(s.count).toBe(2);
    expect(s.rps).toBeCloseTo(((0.25 + 0.04) / 2 + 1 / 9) / 2, 14);
    expect(s.brier).toBeCloseTo((0.38 + 6 / 9) / 2, 14);
    expect(s.logLoss).toBeCloseTo((Math.log(2) + Math.log(3)) / 2, 14);
    expect(s.accuracy).toBe(0.5);
  });
});

describe('calibration', () => {
  const fs: ScoredForecast[] = [
    ...Array.from({ length: 4 }, (_, i) => ({
      probabilities: p(0.15, 0.35, 0.5),
      outcome: (i === 0 ? 'home' : 'away') as 'home' | 'away',
    })),
    { probabilities: p(0.85, 0.1, 0.05), outcome: 'home' },
    { probabilities: p(0.85, 0.1, 0.05), outcome: 'home' },
  ];

  it('bins forecasts and computes mean predicted / observed / count', () => {
    const c = reliabilityCurve(fs, 'home', 10);
    expect(c.bins).toHaveLength(2);
    expect(c.bins[0]).toMatchObject({ lower: 0.1, upper: 0.2, count: 4, observedFrequency: 0.25 });
    expect(c.bins[0]!.meanPredicted).toBeCloseTo(0.15, 14);
    expect(c.bins[1]).toMatchObject({ count: 2, observedFrequency: 1 });
    // ECE = (4·|0.15 − 0.25| + 2·|0.85 − 1|)/6
    expect(c.ece).toBeCloseTo((4 * 0.1 + 2 * 0.15) / 6, 12);
    expect(expectedCalibrationError(c.bins)).toBeCloseTo(c.ece, 14);
  });

  it('puts probability 1 in the last bin and reports all outcomes', () => {
    const c = reliabilityCurve([{ probabilities: p(1, 0, 0), outcome: 'home' }], 'home', 5);
    expect(c.bins[0]).toMatchObject({ lower: 0.8, upper: 1, count: 1, observedFrequency: 1 });
    expect(c.ece).toBe(0);
    const r = calibrationReport(fs);
    expect(r.ece).toBeCloseTo((r.home.ece + r.draw.ece + r.away.ece) / 3, 14);
    expect(r.away.bins.reduce((s, b) => s + b.count, 0)).toBe(6);
  });
});
