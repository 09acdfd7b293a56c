import { describe, expect, it } from 'vitest';
import { bootstrapMean } from './bootstrap';
import { mulberry32, normal } from './testing/synthetic';

describe('bootstrapMean', () => {
  it('brackets the mean with about ±1.96 standard errors for normal data', () => {
    const rng = mulberry32(3);
    const values = Array.from({ length: 4000 }, () => 0.5 + normal(rng));
    const interval = bootstrapMean(values, { resamples: 2000 });
    const se = 1 / Math.sqrt(values.length);
    expect(interval.low).toBeLessThan(interval.mean);
    expect(interval.high).toBeGreaterThan(interval.mean);
    expect((interval.high - interval.low) / (2 * 1.96 * se)).toBeGreaterThan(0.9);
    expect((interval.high - interval.low) / (2 * 1.96 * se)).toBeLessThan(1.1);
    expect(interval.low).toBeLessThan(0.5 + 4 * se);
    expect(interval.high).toBeGreaterThan(0.5 - 4 * se);
  });

  it('is the same for the same seed and refuses empty input', () => {
    const values = [0.1, -0.2, 0.05, 0.3, -0.1];
    expect(bootstrapMean(values, { seed: 9 })).toEqual(bootstrapMean(values, { seed: 9 }));
    expect(bootstrapMean([2, 2, 2])).toMatchObject({ mean: 2, low: 2, high: 2 });
    expect(() => bootstrapMean([])).toThrow(RangeError);
  });
});
