import { describe, expect, it } from 'vitest';
import { dixonColesObjective, fitDixonColes, PARAM_OFFSET, type DixonColesData } from './dixon-coles';
import { gradientCheck } from './optim';
import { gridTotal, outcome1x2 } from './score-grid';
import { generateLeague, mulberry32, normal, randomTeams } from './testing/synthetic';
import type { MatchResult } from './types';

describe('dixonColesObjective', () => {
  it('has an analytic gradient matching finite differences (incl. ρ, ridge and centres)', () => {
    const rng = mulberry32(7);
    const nTeams = 5;
    const m = 60;
    const data: DixonColesData = {
      nTeams,
      home: new Int32Array(m),
      away: new Int32Array(m),
      homeGoals: new Float64Array(m),
      awayGoals: new Float64Array(m),
      weight: new Float64Array(m),
    };
    for (let i = 0; i < m; i++) {
      const h = Math.floor(rng() * nTeams);
      data.home[i] = h;
      data.away[i] = (h + 1 + Math.floor(rng() * (nTeams - 1))) % nTeams;
      // Plenty of 0/1 scores so every τ branch is exercised.
      data.homeGoals[i] = Math.floor(rng() * 3);
      data.awayGoals[i] = Math.floor(rng() * 3);
      data.weight[i] = 0.2 + rng();
    }
    const x = new Float64Array(PARAM_OFFSET + 2 * nTeams);
    x[0] = 0.1;
    x[1] = 0.3;
    x[2] = -0.12;
    for (let k = PARAM_OFFSET; k < x.length; k++) x[k] = 0.3 * normal(rng);
    const ca = Float64Array.from({ length: nTeams }, () => 0.1 * normal(rng));
    const cd = Float64Array.from({ length: nTeams }, () => 0.1 * normal(rng));
    expect(gradientCheck(dixonColesObjective(data, 1.5, ca, cd, true), x)).toBeLessThan(1e-7);
    expect(gradientCheck(dixonColesObjective(data, 0, ca, cd, false), x)).toBeLessThan(1e-7);
  });
});

describe('fitDixonColes', () => {
  const rng = mulberry32(2024);
  const teams = randomTeams(20, rng, 0.25);
  const truth = { intercept: 0.15, homeAdvantage: 0.25, rho: -0.1 };
  const seasons = 20;
  const matches = generateLeague({ teams, ...truth, seasons, rng, startDay: 10000 });
  const asOf = 10000 + seasons * 365;

  it('recovers known parameters from synthetic data (ξ = 0, no ridge)', () => {
    const model = fitDixonColes(matches, { asOf, xi: 0, ridge: 0 });
    expect(model.diagnostics.converged).toBe(true);
    expect(model.diagnostics.matchesUsed).toBe(matches.length);
    expect(model.homeAdvantage).toBeCloseTo(truth.homeAdvantage, 1);
    expect(Math.abs(model.homeAdvantage - truth.homeAdvantage)).toBeLessThan(0.04);
    expect(Math.abs(model.intercept - truth.intercept)).toBeLessThan(0.04);
    expect(Math.abs(model.rho - truth.rho)).toBeLessThan(0.05);
    let worst = 0;
    for (const t of teams) {
      const r = model.rating(t.name);
      worst = Math.max(worst, Math.abs(r.attack - t.attack), Math.abs(r.defence - t.defence));
    }
    // SE of a rating with ~760 matches is ≈ 0.04; allow ~3.5 SE.
    expect(worst).toBeLessThan(0.15);
  });

  it('reports sum-to-zero ratings and a grid that sums to 1', () => {
    const model = fitDixonColes(matches, { asOf });
    let sa = 0;
    let sd = 0;
    for (const r of model.ratings.values()) {
      sa += r.attack;
      sd += r.defence;
    }
    expect(Math.abs(sa)).toBeLessThan(1e-9);
    expect(Math.abs(sd)).toBeLessThan(1e-9);
    const p = model.predict('T01', 'T02');
    expect(gridTotal(p.grid)).toBeCloseTo(1, 12);
    expect(p.probabilities).toEqual(outcome1x2(p.grid));
    expect(p.homeRate).toBeCloseTo(model.rates('T01', 'T02').homeRate, 14);
  });

  it('home advantage raises the home rate by e^homeAdvantage; neutral removes it', () => {
    const model = fitDixonColes(matches, { asOf });
    const home = model.rates('T03', 'T04');
    const neutral = model.rates('T03', 'T04', { neutral: true });
    expect(home.homeRate / neutral.homeRate).toBeCloseTo(Math.exp(model.homeAdvantage), 12);
    expect(home.awayRate).toBeCloseTo(neutral.awayRate, 12);
  });

  it('ignores matches on or after asOf and down-weights old ones', () => {
    const cut = 10000 + 3 * 365;
    const a = fitDixonColes(matches, { asOf: cut });
    const before = matches.filter((m) => (m.date as number) < cut);
    const b = fitDixonColes(before, { asOf: cut });
    expect(a.diagnostics.matchesUsed).toBe(before.length);
    expect(a.rating('T05').attack).toBeCloseTo(b.rating('T05').attack, 10);
    // Same matches, older ⇒ smaller effective sample.
    const later = fitDixonColes(before, { asOf: cut + 365 });
    expect(later.diagnostics.effectiveMatches).toBeLessThan(a.diagnostics.effectiveMatches);
    expect(later.diagnostics.effectiveMatches / a.diagnostics.effectiveMatches).toBeCloseTo(
      Math.exp(-0.0018 * 365),
      10,
    );
  });

  it('accepts Date objects and skips invalid rows without throwing', () => {
    const day = 86_400_000;
    const ms: MatchResult[] = [
      { date: new Date(100 * day), home: 'A', away: 'B', homeGoals: 2, awayGoals: 1 },
      { date: new Date(101 * day), home: 'B', away: 'C', homeGoals: 0, awayGoals: 0 },
      { date: new Date(102 * day), home: 'C', away: 'A', homeGoals: 1, awayGoals: 3 },
      { date: new Date(103 * day), home: 'A', away: 'C', homeGoals: NaN, awayGoals: 1 },
      { date: new Date(104 * day), home: 'A', away: 'A', homeGoals: 1, awayGoals: 1 },
    ];
    const model = fitDixonColes(ms, { asOf: new Date(200 * day) });
    expect(model.diagnostics.matchesUsed).toBe(3);
    expect(model.asOf).toBe(200);
    const p = model.predict('A', 'B').probabilities;
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
  });

  it('predicts unseen / promoted teams with a below-average prior, never throwing', () => {
    const model = fitDixonColes(matches.slice(0, 1520), { asOf: 10000 + 4 * 365, priorTeams: ['Promoted FC'] });
    expect(model.ratings.has('Promoted FC')).toBe(true);
    expect(model.isFitted('Promoted FC')).toBe(false);
    const prior = model.newcomerPrior;
    expect(prior.attack + prior.defence).toBeLessThan(0);
    // The prior is the mean of the three weakest teams.
    const strengths = [...model.ratings.entries()]
      .filter(([t]) => model.isFitted(t))
      .map(([, r]) => r.attack + r.defence)
      .sort((x, y) => x - y);
    expect(prior.attack + prior.defence).toBeLessThan(strengths[5]!);
    expect(prior.attack + prior.defence).toBeGreaterThan(strengths[0]! - 0.1);
    const p = model.predict('Promoted FC', 'Never Heard Of');
    expect(p.probabilities.home + p.probabilities.draw + p.probabilities.away).toBeCloseTo(1, 12);
    expect(model.rating('Never Heard Of')).toEqual(prior);
  });

  it('shrinks a team with a single match towards the newcomer prior, not towards average', () => {
    const base = matches.filter((m) => (m.date as number) < 10000 + 2 * 365);
    const asOf2 = 10000 + 2 * 365;
    const one: MatchResult = { date: asOf2 - 1, home: 'New FC', away: 'T00', homeGoals: 0, awayGoals: 0 };
    const model = fitDixonColes([...base, one], { asOf: asOf2 });
    const r = model.rating('New FC');
    const prior = model.newcomerPrior;
    // Scored none and conceded none: attack below the prior, defence above it, but both finite and shrunk.
    expect(r.attack).toBeLessThan(prior.attack);
    expect(r.defence).toBeGreaterThan(prior.defence);
    expect(Math.abs(r.attack - prior.attack)).toBeLessThan(0.6);
    expect(Math.abs(r.defence - prior.defence)).toBeLessThan(0.6);
    // Centring at the league average instead (newcomerScale 0) rates the same team stronger.
    const avg = fitDixonColes([...base, one], { asOf: asOf2, newcomerScale: 0 }).rating('New FC');
    expect(r.attack + r.defence).toBeLessThan(avg.attack + avg.defence - 0.1);
  });

  it('returns a usable default model with no data', () => {
    const model = fitDixonColes([], { asOf: 0 });
    const p = model.predict('X', 'Y');
    expect(p.homeRate).toBeGreaterThan(p.awayRate);
    expect(p.homeRate).toBeCloseTo(1.5, 6);
    expect(gridTotal(p.grid)).toBeCloseTo(1, 12);
  });

  it('fitRho=false gives ρ = 0; a warm start reaches the same optimum', () => {
    const season = matches.slice(0, 380);
    const asOf1 = 10000 + 365;
    const indep = fitDixonColes(season, { asOf: asOf1, fitRho: false });
    expect(indep.rho).toBe(0);
    const cold = fitDixonColes(season, { asOf: asOf1 });
    const warm = fitDixonColes(season, { asOf: asOf1, warmStart: cold });
    expect(warm.rho).toBeCloseTo(cold.rho, 4);
    expect(warm.rating('T07').attack).toBeCloseTo(cold.rating('T07').attack, 4);
  });

  it('fits one 380-match season quickly (timing printed; generous bound)', () => {
    const season = matches.slice(0, 380);
    const asOf1 = 10000 + 365;
    fitDixonColes(season, { asOf: asOf1 }); // JIT warm-up
    const reps = 20;
    const t0 = performance.now();
    let model = fitDixonColes(season, { asOf: asOf1 });
    for (let i = 1; i < reps; i++) model = fitDixonColes(season, { asOf: asOf1 });
    const ms = (performance.now() - t0) / reps;
    console.info(
      `[dixon-coles] 380 matches / 20 teams: ${ms.toFixed(2)} ms per fit ` +
        `(${model.diagnostics.iterations} iterations, ${model.diagnostics.evaluations} evaluations)`,
    );
    expect(model.diagnostics.converged).toBe(true);
    expect(ms).toBeLessThan(1000);
  });
});

describe('dixon-coles on degenerate data', () => {
  it('keeps rho bounded when only 1-1 occurs among the low scores, and still favours the stronger side', () => {
    const teams = ['A', 'B', 'C', 'D', 'E', 'F'];
    const matches: MatchResult[] = [];
    teams.forEach((home, hi) =>
      teams.forEach((away, ai) => {
        if (hi === ai) return;
        const edge = ai - hi; // A strongest, F weakest
        matches.push({
          date: new Date(Date.UTC(2030, 7, 1 + matches.length)),
          home,
          away,
          homeGoals: Math.max(0, 1 + Math.round(edge / 2)),
          awayGoals: Math.max(0, 1 - Math.round(edge / 2)),
        });
      }),
    );
    const model = fitDixonColes(matches, { asOf: new Date(Date.UTC(2031, 0, 1)) });
    expect(Math.abs(model.rho)).toBeLessThan(0.5);
    const { probabilities } = model.predict('A', 'F');
    expect(probabilities.home).toBeGreaterThan(probabilities.away);
    expect(probabilities.draw).toBeLessThan(0.5);
  });
});
