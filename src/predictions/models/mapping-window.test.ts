import { describe, expect, it } from 'vitest';
import { fitEloModel } from './elo';
import { fitPiModel } from './pi-ratings';
import { generateLeague, mulberry32, randomTeams } from './testing/synthetic';

describe('Elo / pi-ratings mapping window (mappingMinWeight)', () => {
  const rng = mulberry32(9);
  const matches = generateLeague({
    teams: randomTeams(10, rng),
    intercept: 0.1,
    homeAdvantage: 0.25,
    rho: 0,
    seasons: 8,
    rng,
  });
  const asOf = 15000 + 8 * 365;

  it('fits the mapping only on matches whose weight reaches the threshold; ratings are unchanged', () => {
    // Weight exp(−0.0018·age) ≥ 0.1 ⇔ age ≤ ≈1279 days: roughly the last 3.5 seasons.
    const all = fitEloModel(matches, { asOf, burnInMatches: 90 });
    const recent = fitEloModel(matches, { asOf, burnInMatches: 90, mappingMinWeight: 0.1 });
    expect(recent.mapping.count).toBeLessThan(all.mapping.count);
    expect(recent.mapping.count).toBeGreaterThan(200);
    expect(recent.gap('T00', 'T01')).toBe(all.gap('T00', 'T01'));
    const pi = fitPiModel(matches, { asOf, burnInMatches: 90, mappingMinWeight: 0.1 });
    expect(pi.mapping.count).toBe(recent.mapping.count);
  });
});
