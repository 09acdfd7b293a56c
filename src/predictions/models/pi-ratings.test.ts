import { describe, expect, it } from 'vitest';
import { fitPiModel, piExpectedGoalDifference, PiRatings, piUpdate, runPiRatings } from './pi-ratings';
import { generateLeague, mulberry32, randomTeams } from './testing/synthetic';

describe('pi-rating primitives', () => {
  it('expected goal difference sign(r)(10^{|r|/3} − 1)', () => {
    expect(piExpectedGoalDifference(0)).toBe(0);
    expect(piExpectedGoalDifference(3)).toBeCloseTo(9, 12);
    expect(piExpectedGoalDifference(-3)).toBeCloseTo(-9, 12);
    expect(piExpectedGoalDifference(0.5)).toBeCloseTo(0.467799, 6);
  });

  it('matches a hand computation from zero ratings: home wins 2-0', () => {
    // e = 2, ψ = 3·log10(3) = 1.431364; venue ratings ±0.035ψ = 0.050098, other venue ±0.7·that = 0.035068
    const u = piUpdate({ home: 0, away: 0 }, { home: 0, away: 0 }, 2, 0);
    expect(u.expectedGoalDifference).toBe(0);
    expect(u.error).toBe(2);
    expect(u.home.home).toBeCloseTo(0.050098, 6);
    expect(u.home.away).toBeCloseTo(0.035068, 6);
    expect(u.away.away).toBeCloseTo(-0.050098, 6);
    expect(u.away.home).toBeCloseTo(-0.035068, 6);
  });

  it('matches a hand computation: favourite held 1-1', () => {
    // ĝD = (10^{0.5/3} − 1) − (−(10^{0.3/3} − 1)) = 0.467799 + 0.258925 = 0.726725; ψ = 3·log10(1.726725) = 0.711669
    const u = piUpdate({ home: 0.5, away: 0.2 }, { home: 0.1, away: -0.3 }, 1, 1);
    expect(u.expectedGoalDifference).toBeCloseTo(0.726725, 6);
    expect(u.home.home).toBeCloseTo(0.475092, 6);
    expect(u.home.away).toBeCloseTo(0.182564, 6);
    expect(u.away.away).toBeCloseTo(-0.275092, 6);
    expect(u.away.home).toBeCloseTo(0.117436, 6);
  });
});

describe('PiRatings / fitPiModel', () => {
  it('gives newcomers the weakest-3 mean once the league has formed', () => {
    const s = new PiRatings({ formedAfterMatches: 2 });
    s.process({ date: 1, home: 'A', away: 'B', homeGoals: 3, awayGoals: 0 });
    expect(s.newcomerRating(2)).toEqual({ home: 0, away: 0 });
    s.process({ date: 2, home: 'C', away: 'D', homeGoals: 1, awayGoals: 0 });
    const n = s.newcomerRating(3);
    expect(n.home + n.away).toBeLessThan(0);
    expect(s.rating('Z', 3)).toEqual(n);
  });

  it('ranks strong synthetic teams higher and predicts calibrated-looking probabilities', () => {
    const rng = mulberry32(42);
    const teams = randomTeams(20, rng, 0.3);
    const matches = generateLeague({
      teams,
      intercept: 0.15,
      homeAdvantage: 0.25,
      rho: 0,
      seasons: 6,
      rng,
      startDay: 0,
    });
    const model = fitPiModel(matches, { asOf: 6 * 365 });
    expect(model.mapping.slope).toBeGreaterThan(0);
    const byTruth = [...teams].sort((a, b) => b.attack + b.defence - (a.attack + a.defence));
    const best = byTruth[0]!.name;
    const worst = byTruth[byTruth.length - 1]!.name;
    expect(model.expectedGoalDifference(best, worst)).toBeGreaterThan(0.5);
    const p = model.predict(best, worst);
    expect(p.home).toBeGreaterThan(0.6);
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
    // Home ratings exceed away ratings on average (home advantage is learnt).
    const { state } = runPiRatings(matches);
    const rs = [...state.ratings.values()];
    expect(rs.reduce((s, r) => s + r.home - r.away, 0) / rs.length).toBeGreaterThan(0);
    expect(model.predict('New A', 'New B').home).toBeGreaterThan(0);
  });
});
