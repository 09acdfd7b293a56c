import { describe, expect, it } from 'vitest';
import {
  asianHandicap,
  bothTeamsToScore,
  dixonColesTau,
  expectedGoals,
  fairLineOdds,
  gridTotal,
  outcome1x2,
  overUnder,
  poissonPmf,
  scoreGrid,
  shiftGrid,
  topScores,
  totalGoalsDistribution,
} from './score-grid';

/** P(Poisson(rate) = k), closed form. */
function pois(k: number, rate: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return (Math.exp(-rate) * rate ** k) / f;
}

describe('poissonPmf', () => {
  it('matches the closed form', () => {
    const p = poissonPmf(1.5, 3);
    const e = Math.exp(-1.5);
    expect(p[0]).toBeCloseTo(e, 14);
    expect(p[1]).toBeCloseTo(1.5 * e, 14);
    expect(p[2]).toBeCloseTo(1.125 * e, 14);
    expect(p[3]).toBeCloseTo(0.5625 * e, 14);
  });
  it('puts all mass on 0 for a zero rate', () => {
    expect(poissonPmf(0, 2)).toEqual([1, 0, 0]);
  });
});

describe('scoreGrid', () => {
  it('is 11x11 by default and sums to 1', () => {
    const g = scoreGrid(1.6, 1.1);
    expect(g).toHaveLength(11);
    expect(g[0]).toHaveLength(11);
    expect(gridTotal(g)).toBeCloseTo(1, 14);
  });

  it('matches independent Poisson cells (tiny truncation)', () => {
    const g = scoreGrid(1.4, 0.9);
    expect(g[2]![1]).toBeCloseTo(pois(2, 1.4) * pois(1, 0.9), 7);
  });

  it('gives symmetric 1X2 for equal rates', () => {
    const p = outcome1x2(scoreGrid(1.3, 1.3));
    expect(p.home).toBeCloseTo(p.away, 14);
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 14);
  });

  it('applies the Dixon-Coles correction to the four low scores only and keeps marginals', () => {
    const lam = 1.5;
    const mu = 1.1;
    const rho = -0.1;
    const g0 = scoreGrid(lam, mu);
    const g = scoreGrid(lam, mu, { rho });
    expect(g[0]![0]! / g0[0]![0]!).toBeCloseTo(dixonColesTau(0, 0, lam, mu, rho), 10);
    expect(g[0]![0]! / g0[0]![0]!).toBeCloseTo(1 + lam * mu * 0.1, 10);
    expect(g[1]![1]! / g0[1]![1]!).toBeCloseTo(1.1, 10);
    expect(g[0]![1]! / g0[0]![1]!).toBeCloseTo(1 - lam * 0.1, 10);
    expect(g[2]![3]).toBeCloseTo(g0[2]![3]!, 14);
    // Marginal of home goals unchanged.
    for (let h = 0; h < 3; h++) {
      const m = g[h]!.reduce((s, p) => s + p, 0);
      const m0 = g0[h]!.reduce((s, p) => s + p, 0);
      expect(m).toBeCloseTo(m0, 12);
    }
    // Negative rho raises the draw probability.
    expect(outcome1x2(g).draw).toBeGreaterThan(outcome1x2(g0).draw);
  });

  it('clamps impossible (negative) tau cells and still sums to 1', () => {
    const g = scoreGrid(3, 3, { rho: 0.5 });
    expect(g[0]![0]).toBe(0);
    expect(gridTotal(g)).toBeCloseTo(1, 14);
  });

  it('respects maxGoals', () => {
    expect(scoreGrid(1, 1, { maxGoals: 4 })).toHaveLength(5);
  });
});

describe('markets', () => {
  const lam = 1.7;
  const mu = 1.2;
  const g = scoreGrid(lam, mu);
  const tot = (k: number): number => pois(k, lam + mu);

  it('expected goals ≈ the rates; total distribution is Poisson(λ+μ)', () => {
    const e = expectedGoals(g);
    expect(e.home).toBeCloseTo(lam, 4);
    expect(e.away).toBeCloseTo(mu, 4);
    expect(e.total).toBeCloseTo(lam + mu, 4);
    const d = totalGoalsDistribution(g);
    expect(d[3]).toBeCloseTo(tot(3), 5);
  });

  it('over/under on half, whole and quarter lines', () => {
    const u2 = tot(0) + tot(1) + tot(2);
    const ou25 = overUnder(g, 2.5);
    expect(ou25.over.win).toBeCloseTo(1 - u2, 5);
    expect(ou25.over.push + ou25.over.halfWin + ou25.over.halfLose).toBe(0);
    expect(ou25.under.win).toBeCloseTo(u2, 5);

    const ou2 = overUnder(g, 2);
    expect(ou2.over.push).toBeCloseTo(tot(2), 5);
    expect(ou2.over.lose).toBeCloseTo(tot(0) + tot(1), 5);

    const ou225 = overUnder(g, 2.25); // half on 2, half on 2.5
    expect(ou225.over.win).toBeCloseTo(1 - u2, 5);
    expect(ou225.over.halfLose).toBeCloseTo(tot(2), 5);
    expect(ou225.over.lose).toBeCloseTo(tot(0) + tot(1), 5);
    expect(ou225.under.halfWin).toBeCloseTo(tot(2), 5);

    const ou275 = overUnder(g, 2.75); // half on 2.5, half on 3
    expect(ou275.over.halfWin).toBeCloseTo(tot(3), 5);
    expect(ou275.over.win).toBeCloseTo(1 - u2 - tot(3), 5);
    expect(ou275.over.lose).toBeCloseTo(u2, 5);
  });

  it('Asian handicap on half, whole and quarter lines', () => {
    const p = outcome1x2(g);
    expect(asianHandicap(g, -0.5).home.win).toBeCloseTo(p.home, 12);
    expect(asianHandicap(g, 0.5).home.win).toBeCloseTo(p.home + p.draw, 12);
    const dnb = asianHandicap(g, 0);
    expect(dnb.home.push).toBeCloseTo(p.draw, 12);
    expect(dnb.away.win).toBeCloseTo(p.away, 12);
    let oneGoal = 0;
    g.forEach((row, h) => row.forEach((q, a) => (oneGoal += h - a === 1 ? q : 0)));
    const m1 = asianHandicap(g, -1);
    expect(m1.home.push).toBeCloseTo(oneGoal, 12);
    expect(m1.home.win).toBeCloseTo(p.home - oneGoal, 12);
    const q = asianHandicap(g, -0.25); // half on 0, half on -0.5
    expect(q.home.win).toBeCloseTo(p.home, 12);
    expect(q.home.halfLose).toBeCloseTo(p.draw, 12);
    expect(q.away.halfWin).toBeCloseTo(p.draw, 12);
  });

  it('every settlement sums to 1', () => {
    for (const line of [0.5, 1, 1.25, 2.75, 3, 4.5]) {
      for (const s of [overUnder(g, line).over, asianHandicap(g, -line).home]) {
        expect(s.win + s.halfWin + s.push + s.halfLose + s.lose).toBeCloseTo(1, 12);
      }
    }
  });

  it('both teams to score matches (1-e^-λ)(1-e^-μ)', () => {
    const b = bothTeamsToScore(g);
    expect(b.yes).toBeCloseTo((1 - Math.exp(-lam)) * (1 - Math.exp(-mu)), 5);
    expect(b.yes + b.no).toBeCloseTo(1, 14);
  });

  it('top scores are sorted and start at the mode', () => {
    const top = topScores(g, 4);
    expect(top).toHaveLength(4);
    let best = 0;
    g.forEach((row) => row.forEach((q) => (best = Math.max(best, q))));
    expect(top[0]!.probability).toBe(best);
    expect(top[0]).toMatchObject({ home: 1, away: 1 });
    for (let i = 1; i < top.length; i++) expect(top[i]!.probability).toBeLessThanOrEqual(top[i - 1]!.probability);
  });

  it('fair line odds', () => {
    expect(fairLineOdds({ win: 0.5, halfWin: 0, push: 0, halfLose: 0, lose: 0.5 })).toBeCloseTo(2, 12);
    expect(fairLineOdds({ win: 0.4, halfWin: 0, push: 0.2, halfLose: 0, lose: 0.4 })).toBeCloseTo(2, 12);
    expect(fairLineOdds({ win: 0.3, halfWin: 0.2, push: 0, halfLose: 0, lose: 0.5 })).toBeCloseTo(1 + 0.5 / 0.4, 12);
    expect(fairLineOdds({ win: 0, halfWin: 0, push: 0, halfLose: 0, lose: 1 })).toBe(Infinity);
  });

  it('shiftGrid offsets scores', () => {
    const s = shiftGrid([[0.5, 0.5]], 2, 1);
    expect(s).toHaveLength(3);
    expect(s[2]).toEqual([0, 0.5, 0.5]);
    expect(outcome1x2(s)).toEqual({ home: 0.5, draw: 0.5, away: 0 });
  });
});
