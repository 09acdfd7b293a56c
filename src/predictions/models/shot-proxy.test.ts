import { describe, expect, it } from 'vitest';
import { DEFAULT_SHOT_CONVERSION, fitShotConversion, proxyGoals, type MatchWithShots } from './shot-proxy';

function match(day: number, hg: number, ag: number, hst: number | null, ast: number | null): MatchWithShots {
  return {
    date: day,
    home: 'A',
    away: 'B',
    homeGoals: hg,
    awayGoals: ag,
    homeShotsOnTarget: hst,
    awayShotsOnTarget: ast,
  };
}

describe('shot conversion', () => {
  it('is the (time-weighted) ratio of goals to shots on target', () => {
    // 30 matches: 2 goals from 6 SOT at home, 1 from 4 away ⇒ 90 goals / 300 SOT = 0.3.
    const ms = Array.from({ length: 30 }, (_, i) => match(i, 2, 1, 6, 4));
    const c = fitShotConversion(ms, { asOf: 100, xi: 0 });
    expect(c.goalsPerShotOnTarget).toBeCloseTo(0.3, 12);
    expect(c.count).toBe(60);
  });

  it('weights recent matches more and ignores matches on or after asOf', () => {
    const old = Array.from({ length: 30 }, (_, i) => match(i, 1, 1, 10, 10)); // 0.1 per SOT
    const recent = Array.from({ length: 30 }, (_, i) => match(1000 + i, 5, 5, 10, 10)); // 0.5 per SOT
    const future = Array.from({ length: 30 }, (_, i) => match(2000 + i, 9, 9, 9, 9));
    const c = fitShotConversion([...old, ...recent, ...future], { asOf: 1030, xi: 0.01 });
    expect(c.goalsPerShotOnTarget).toBeGreaterThan(0.45);
    expect(c.goalsPerShotOnTarget).toBeLessThan(0.5);
    expect(c.count).toBe(120);
  });

  it('falls back to the default with too few shots on target and skips missing counts', () => {
    const ms = [match(1, 1, 0, null, null), match(2, 2, 2, 5, null)];
    expect(fitShotConversion(ms, { asOf: 10 })).toEqual(DEFAULT_SHOT_CONVERSION);
  });
});

describe('proxy goals', () => {
  const conv = { goalsPerShotOnTarget: 0.25, count: 100 };

  it('replaces goals by κ·SOT, or blends them', () => {
    const m = match(1, 3, 0, 4, 8);
    expect(proxyGoals(m, conv)).toMatchObject({ homeGoals: 1, awayGoals: 2, home: 'A', away: 'B', date: 1 });
    const half = proxyGoals(m, conv, 0.5);
    expect(half.homeGoals).toBeCloseTo(2, 12);
    expect(half.awayGoals).toBeCloseTo(1, 12);
  });

  it('keeps the goals of a side without a recorded SOT', () => {
    expect(proxyGoals(match(1, 3, 2, null, 4), conv)).toMatchObject({ homeGoals: 3, awayGoals: 1 });
  });
});
