import { describe, expect, it } from 'vitest';
import { outcome1x2, scoreGrid } from '../models';
import { gridEdge, ratesForEdge } from './score-rates';

describe('score rates', () => {
  it('gridEdge equals P(home) − P(away) of the renormalised Dixon-Coles grid', () => {
    for (const [l, m, rho] of [
      [1.6, 1.1, -0.08],
      [0.3, 2.9, -0.2],
      [3.5, 0.4, 0.1],
      [1.2, 1.2, 0],
    ] as const) {
      const p = outcome1x2(scoreGrid(l, m, { rho }));
      expect(gridEdge(l, m, rho)).toBeCloseTo(p.home - p.away, 12);
    }
  });

  it('keeps the total and hits the target edge', () => {
    for (const target of [-0.6, -0.1, 0, 0.25, 0.7]) {
      const r = ratesForEdge(2.8, target, -0.07);
      expect(r.homeRate + r.awayRate).toBeCloseTo(2.8, 12);
      expect(gridEdge(r.homeRate, r.awayRate, -0.07)).toBeCloseTo(target, 9);
    }
    const even = ratesForEdge(2.4, 0, 0);
    expect(even.homeRate).toBeCloseTo(1.2, 9);
  });

  it('clamps impossible targets and survives bad totals', () => {
    const r = ratesForEdge(2.5, 1.5, 0);
    expect(r.awayRate).toBeGreaterThan(0);
    expect(r.homeRate).toBeLessThan(2.5);
    const d = ratesForEdge(Number.NaN, Number.NaN, 0);
    expect(d.homeRate + d.awayRate).toBeCloseTo(2.7, 9);
  });
});
