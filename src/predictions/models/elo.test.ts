import { describe, expect, it } from 'vitest';
import { EloRatings, eloExpectedScore, eloUpdate, fitEloModel, goalDifferenceMultiplier, runElo } from './elo';
import { orderedLogitProbabilities } from './ordered-logit';
import { generateLeague, mulberry32, randomTeams } from './testing/synthetic';
import { outcomeOf, type MatchResult } from './types';

describe('Elo primitives', () => {
  it('expected score', () => {
    expect(eloExpectedScore(0)).toBe(0.5);
    expect(eloExpectedScore(400)).toBeCloseTo(10 / 11, 14);
    expect(eloExpectedScore(-400)).toBeCloseTo(1 / 11, 14);
  });

  it('goal-difference multiplier (World Football Elo)', () => {
    expect([0, 1, -1, 2, -2, 3, 4, 5, 6].map(goalDifferenceMultiplier)).toEqual([
      1, 1, 1, 1.5, 1.5, 1.75, 1.875, 2, 2.125,
    ]);
  });

  it('matches a hand computation: 1500 v 1500, H = 65, K = 20, home wins 2-0', () => {
    // We = 1/(1 + 10^(−65/400)) = 0.592466; change = 20 · 1.5 · (1 − 0.592466) = 12.2260
    const u = eloUpdate(1500, 1500, 2, 0, { k: 20, homeAdvantage: 65 });
    expect(u.expectedHome).toBeCloseTo(0.592466, 6);
    expect(u.change).toBeCloseTo(12.226, 3);
    expect(u.home).toBeCloseTo(1512.226, 3);
    expect(u.away).toBeCloseTo(1487.774, 3);
  });

  it('matches a hand computation: 1600 v 1500 at home, loses 0-3', () => {
    // We = 1/(1 + 10^(−165/400)) = 0.721078; change = 20 · 1.75 · (0 − 0.721078) = −25.2377
    const u = eloUpdate(1600, 1500, 0, 3);
    expect(u.change).toBeCloseTo(-25.2377, 3);
    expect(u.home + u.away).toBeCloseTo(3100, 10);
  });

  it('a draw between equals on neutral terms changes nothing; goalDifference=false ignores margin', () => {
    expect(eloUpdate(1500, 1500, 1, 1, { homeAdvantage: 0 }).change).toBe(0);
    expect(eloUpdate(1500, 1500, 5, 0, { homeAdvantage: 0, goalDifference: false }).change).toBe(10);
  });
});

describe('EloRatings state', () => {
  it('processes matches in order and gives newcomers the weakest-3 mean once formed', () => {
    const s = new EloRatings({ formedAfterMatches: 2, homeAdvantage: 0 });
    s.process({ date: 1, home: 'A', away: 'B', homeGoals: 1, awayGoals: 0 });
    // Not yet formed: newcomer gets the initial rating.
    expect(s.newcomerRating(2)).toBe(1500);
    s.process({ date: 2, home: 'C', away: 'D', homeGoals: 0, awayGoals: 2 });
    const sorted = [...s.ratings.values()].sort((a, b) => a - b);
    expect(s.newcomerRating(3)).toBeCloseTo((sorted[0]! + sorted[1]! + sorted[2]!) / 3, 12);
    const step = s.process({ date: 3, home: 'E', away: 'A', homeGoals: 0, awayGoals: 0 });
    expect(step.homeBefore).toBeCloseTo((sorted[0]! + sorted[1]! + sorted[2]!) / 3, 12);
    // Inactive teams (not played within activeDays) are ignored.
    expect(s.newcomerRating(10_000)).toBe(1500);
  });

  it('runElo sorts by date and skips invalid rows', () => {
    const ms: MatchResult[] = [
      { date: 5, home: 'A', away: 'B', homeGoals: 0, awayGoals: 1 },
      { date: 1, home: 'A', away: 'B', homeGoals: 1, awayGoals: 0 },
      { date: 3, home: 'A', away: 'B', homeGoals: -1, awayGoals: 0 },
    ];
    const { steps } = runElo(ms);
    expect(steps.map((s) => s.match.date)).toEqual([1, 5]);
    expect(steps[0]!.homeBefore).toBe(1500);
  });
});

describe('fitEloModel', () => {
  const rng = mulberry32(99);
  const teams = randomTeams(20, rng, 0.3);
  const matches = generateLeague({
    teams,
    intercept: 0.15,
    homeAdvantage: 0.25,
    rho: -0.05,
    seasons: 8,
    rng,
    startDay: 0,
  });
  const asOf = 8 * 365;

  it('fits a calibrated mapping that favours the stronger side', () => {
    const model = fitEloModel(matches, { asOf, mappingXi: 0 });
    expect(model.mapping.slope).toBeGreaterThan(0);
    expect(model.mapping.count).toBe(matches.length - 380);
    const strongest = [...teams].sort((a, b) => b.attack + b.defence - (a.attack + a.defence))[0]!.name;
    const weakest = [...teams].sort((a, b) => a.attack + a.defence - (b.attack + b.defence))[0]!.name;
    const p = model.predict(strongest, weakest);
    const q = model.predict(weakest, strongest);
    expect(p.home).toBeGreaterThan(q.home);
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
    expect(model.predict('Unknown', 'Also Unknown').home).toBeGreaterThan(0);
    expect(model.gap('T01', 'T02') - model.gap('T01', 'T02', { neutral: true })).toBe(65);
  });

  it('mapping is (approximately) calibrated in the large on the gaps it was fitted to', () => {
    const model = fitEloModel(matches, { asOf, mappingXi: 0 });
    const { steps } = runElo(matches);
    let pred = 0;
    let obs = 0;
    for (const s of steps.slice(380)) {
      pred += orderedLogitProbabilities(model.mapping, s.gap).home;
      obs += outcomeOf(s.match.homeGoals, s.match.awayGoals) === 'home' ? 1 : 0;
    }
    expect(pred / (steps.length - 380)).toBeCloseTo(obs / (steps.length - 380), 2);
  });

  it('uses only matches before asOf', () => {
    const a = fitEloModel(matches, { asOf: 500 });
    const b = fitEloModel(
      matches.filter((m) => (m.date as number) < 500),
      { asOf: 500 },
    );
    expect(a.state.ratings).toEqual(b.state.ratings);
  });
});
