import { describe, expect, it } from 'vitest';
import { fitDixonColes } from './dixon-coles';
import { generateLeague, mulberry32, randomTeams } from './testing/synthetic';

describe('Dixon-Coles on fractional goals (expected-goals proxies)', () => {
  const rng = mulberry32(17);
  const teams = randomTeams(10, rng, 0.3);
  const league = generateLeague({ teams, intercept: 0.1, homeAdvantage: 0.25, rho: 0, seasons: 3, rng });

  it('skips fractional rows by default and accepts them with fractionalGoals (ρ fixed at 0)', () => {
    const halved = league.map((m) => ({ ...m, homeGoals: m.homeGoals + 0.5, awayGoals: m.awayGoals * 0.5 }));
    expect(fitDixonColes(halved, { asOf: 1e6, xi: 0 }).diagnostics.matchesUsed).toBeLessThan(halved.length);
    const fit = fitDixonColes(halved, { asOf: 1e6, xi: 0, fractionalGoals: true });
    expect(fit.diagnostics.matchesUsed).toBe(halved.length);
    expect(fit.rho).toBe(0);
    expect(fit.diagnostics.converged).toBe(true);
  });

  it('is the Poisson fit when the "fractional" goals are whole numbers', () => {
    const a = fitDixonColes(league, { asOf: 1e6, xi: 0, fitRho: false });
    const b = fitDixonColes(league, { asOf: 1e6, xi: 0, fractionalGoals: true });
    expect(b.homeAdvantage).toBeCloseTo(a.homeAdvantage, 6);
    expect(b.rates('T01', 'T02').homeRate).toBeCloseTo(a.rates('T01', 'T02').homeRate, 6);
  });

  it('matches the mean of the targets: scaling every target scales every rate', () => {
    const base = fitDixonColes(league, { asOf: 1e6, xi: 0, fractionalGoals: true, ridge: 0 });
    const scaled = fitDixonColes(
      league.map((m) => ({ ...m, homeGoals: 0.3 * m.homeGoals, awayGoals: 0.3 * m.awayGoals })),
      { asOf: 1e6, xi: 0, fractionalGoals: true, ridge: 0 },
    );
    expect(scaled.rates('T03', 'T04').homeRate / base.rates('T03', 'T04').homeRate).toBeCloseTo(0.3, 4);
  });
});
