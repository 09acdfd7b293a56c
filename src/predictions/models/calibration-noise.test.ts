import { describe, expect, it } from 'vitest';
import { calibrationNoise } from './calibration-noise';
import { calibrationReport } from './metrics';
import { mulberry32 } from './testing/synthetic';

function forecasts(n: number, seed: number) {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const home = 0.2 + 0.5 * rng();
    const draw = 0.22 + 0.06 * rng();
    return { home, draw, away: 1 - home - draw };
  });
}

describe('calibrationNoise', () => {
  it('gives the draw rate its exact chance spread and a calibrated ECE that shrinks with more matches', () => {
    const few = calibrationNoise(forecasts(500, 1));
    const many = calibrationNoise(forecasts(5000, 1));
    const all = forecasts(5000, 1);
    const sd = Math.sqrt(all.reduce((s, p) => s + p.draw * (1 - p.draw), 0)) / all.length;
    expect(many.drawRateSd).toBeCloseTo(sd, 12);
    expect(many.drawRateSd).toBeLessThan(few.drawRateSd);
    expect(many.ece.mean).toBeLessThan(few.ece.mean);
    expect(many.ece.p95).toBeGreaterThan(many.ece.mean);
    expect(many.ece.mean).toBeGreaterThan(0);
  });

  it('sits below the ECE of a forecaster that is off, and is the same for the same seed', () => {
    const truth = forecasts(4000, 2);
    const rng = mulberry32(3);
    const scored = truth.map((p) => {
      const u = rng();
      return { probabilities: p, outcome: u < p.home ? 'home' : u < p.home + p.draw ? 'draw' : 'away' } as const;
    });
    // Draws over-predicted by 0.06: more than chance alone would show.
    const biased = scored.map((s) => ({
      ...s,
      probabilities: {
        home: s.probabilities.home - 0.03,
        draw: s.probabilities.draw + 0.06,
        away: s.probabilities.away - 0.03,
      },
    }));
    const noise = calibrationNoise(truth);
    expect(calibrationReport(biased).ece).toBeGreaterThan(noise.ece.p95);
    expect(calibrationNoise(truth)).toEqual(noise);
  });
});
