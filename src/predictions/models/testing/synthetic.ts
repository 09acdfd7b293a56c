/**
 * Test-only helpers: a seeded PRNG and a synthetic-league generator (Dixon-Coles scores).
 * Not exported from the package index.
 */
import { scoreGrid } from '../score-grid';
import type { MatchResult } from '../types';

/** Mulberry32 PRNG: deterministic uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box-Muller). */
export function normal(rng: () => number): number {
  const u = Math.max(rng(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Draws a score from a Dixon-Coles grid with rates λ, μ and dependence ρ. */
export function sampleScore(lambda: number, mu: number, rho: number, rng: () => number): [number, number] {
  const grid = scoreGrid(lambda, mu, { rho, maxGoals: 12 });
  let u = rng();
  for (let h = 0; h < grid.length; h++) {
    for (let a = 0; a < grid[h]!.length; a++) {
      u -= grid[h]![a]!;
      if (u <= 0) return [h, a];
    }
  }
  return [0, 0];
}

/** True parameters of a synthetic league. */
export interface SyntheticTeam {
  name: string;
  attack: number;
  defence: number;
}

/** Options for {@link generateLeague}. */
export interface LeagueSpec {
  teams: SyntheticTeam[];
  intercept: number;
  homeAdvantage: number;
  rho: number;
  seasons: number;
  /** Epoch day of the first match (default 15000). */
  startDay?: number;
  rng: () => number;
}

/** Double round-robin seasons (each pair home and away), matches spread over ~280 days per season. */
export function generateLeague(spec: LeagueSpec): MatchResult[] {
  const out: MatchResult[] = [];
  const start = spec.startDay ?? 15000;
  const n = spec.teams.length;
  for (let s = 0; s < spec.seasons; s++) {
    const fixtures: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) fixtures.push([i, j]);
    // Shuffle (Fisher-Yates) so the order within a season is random.
    for (let k = fixtures.length - 1; k > 0; k--) {
      const r = Math.floor(spec.rng() * (k + 1));
      [fixtures[k], fixtures[r]] = [fixtures[r]!, fixtures[k]!];
    }
    fixtures.forEach(([i, j], k) => {
      const h = spec.teams[i]!;
      const a = spec.teams[j]!;
      const lam = Math.exp(spec.intercept + spec.homeAdvantage + h.attack - a.defence);
      const mu = Math.exp(spec.intercept + a.attack - h.defence);
      const [x, y] = sampleScore(lam, mu, spec.rho, spec.rng);
      out.push({
        date: start + s * 365 + Math.floor((k / fixtures.length) * 280),
        home: h.name,
        away: a.name,
        homeGoals: x,
        awayGoals: y,
      });
    });
  }
  return out;
}

/** `n` teams with ratings drawn N(0, sd²) and then centred to sum to zero. */
export function randomTeams(n: number, rng: () => number, sd = 0.25): SyntheticTeam[] {
  const teams = Array.from({ length: n }, (_, i) => ({
    name: `T${String(i).padStart(2, '0')}`,
    attack: sd * normal(rng),
    defence: sd * normal(rng),
  }));
  const ma = teams.reduce((s, t) => s + t.attack, 0) / n;
  const md = teams.reduce((s, t) => s + t.defence, 0) / n;
  for (const t of teams) {
    t.attack -= ma;
    t.defence -= md;
  }
  return teams;
}
