/**
 * Score-probability matrices and the betting markets derived from them.
 * A grid is `grid[h][a]` = P(home scores h, away scores a); rows/columns may differ in length.
 */
import type { Probabilities1x2 } from './types';

/** Score matrix: `grid[h][a]` = P(home goals = h, away goals = a). */
export type ScoreGrid = number[][];

/** Read-only view of a score matrix accepted by the market functions. */
export type ReadonlyScoreGrid = readonly (readonly number[])[];

/** Default highest goal count per side kept in generated grids (10). */
export const DEFAULT_MAX_GOALS = 10;

/** Options for {@link scoreGrid}. */
export interface ScoreGridOptions {
  /** Dixon-Coles low-score dependence ρ (default 0 = independent Poisson). Typical fitted values −0.15…0. */
  rho?: number;
  /** Highest goal count per side kept (default 10); the truncated mass is renormalised away. */
  maxGoals?: number;
}

/** Poisson probabilities P(K = k) for k = 0..maxGoals at mean `rate` (goals). */
export function poissonPmf(rate: number, maxGoals: number): number[] {
  const r = Math.max(0, rate);
  const out = new Array<number>(maxGoals + 1);
  out[0] = Math.exp(-r);
  for (let k = 1; k <= maxGoals; k++) out[k] = (out[k - 1]! * r) / k;
  return out;
}

/**
 * Dixon & Coles (1997) low-score adjustment τ(h, a) for rates λ (home), μ (away) and dependence ρ;
 * 1 outside the four scores 0-0, 0-1, 1-0, 1-1. It preserves both marginals and the total mass.
 */
export function dixonColesTau(h: number, a: number, lambda: number, mu: number, rho: number): number {
  if (h === 0 && a === 0) return 1 - lambda * mu * rho;
  if (h === 0 && a === 1) return 1 + lambda * rho;
  if (h === 1 && a === 0) return 1 + mu * rho;
  if (h === 1 && a === 1) return 1 - rho;
  return 1;
}

/**
 * Score grid for independent Poisson goals with means `homeRate`, `awayRate` (goals per match),
 * optionally Dixon-Coles-corrected (ρ); negative τ cells are clamped to 0; renormalised to sum to 1.
 */
export function scoreGrid(homeRate: number, awayRate: number, options: ScoreGridOptions = {}): ScoreGrid {
  const maxGoals = Math.max(0, Math.floor(options.maxGoals ?? DEFAULT_MAX_GOALS));
  const rho = options.rho ?? 0;
  const ph = poissonPmf(homeRate, maxGoals);
  const pa = poissonPmf(awayRate, maxGoals);
  const grid: ScoreGrid = [];
  for (let h = 0; h <= maxGoals; h++) {
    const row = new Array<number>(maxGoals + 1);
    for (let a = 0; a <= maxGoals; a++) {
      let p = ph[h]! * pa[a]!;
      if (rho !== 0 && h <= 1 && a <= 1) p *= Math.max(0, dixonColesTau(h, a, homeRate, awayRate, rho));
      row[a] = p;
    }
    grid.push(row);
  }
  return normaliseGrid(grid);
}

/** Sum of all cells of a grid. */
export function gridTotal(grid: ReadonlyScoreGrid): number {
  let s = 0;
  for (const row of grid) for (const p of row) s += p;
  return s;
}

/** Copy of `grid` rescaled to sum to 1 (a single 0-0 mass if the grid is empty/zero). */
export function normaliseGrid(grid: ReadonlyScoreGrid): ScoreGrid {
  const s = gridTotal(grid);
  if (!(s > 0) || !Number.isFinite(s)) return [[1]];
  return grid.map((row) => row.map((p) => p / s));
}

/**
 * Grid of final scores given goals already scored: `out[h + homeOffset][a + awayOffset] = grid[h][a]`
 * (used to turn a remaining-goals grid into a final-score grid in-play).
 */
export function shiftGrid(grid: ReadonlyScoreGrid, homeOffset: number, awayOffset: number): ScoreGrid {
  const width = Math.max(0, ...grid.map((r) => r.length));
  const out: ScoreGrid = [];
  for (let h = 0; h < homeOffset + grid.length; h++) {
    const row = new Array<number>(awayOffset + width).fill(0);
    const src = grid[h - homeOffset];
    if (src) for (let a = 0; a < src.length; a++) row[a + awayOffset] = src[a]!;
    out.push(row);
  }
  return out;
}

/** Home win / draw / away win probabilities of a grid (normalised by the grid total). */
export function outcome1x2(grid: ReadonlyScoreGrid): Probabilities1x2 {
  let home = 0;
  let draw = 0;
  let away = 0;
  grid.forEach((row, h) =>
    row.forEach((p, a) => {
      if (h > a) home += p;
      else if (h === a) draw += p;
      else away += p;
    }),
  );
  const s = home + draw + away;
  return s > 0 ? { home: home / s, draw: draw / s, away: away / s } : { home: 0, draw: 1, away: 0 };
}

/** Expected goals of a grid: home, away and total (goals per match). */
export function expectedGoals(grid: ReadonlyScoreGrid): { home: number; away: number; total: number } {
  let home = 0;
  let away = 0;
  let s = 0;
  grid.forEach((row, h) =>
    row.forEach((p, a) => {
      home += h * p;
      away += a * p;
      s += p;
    }),
  );
  if (!(s > 0)) return { home: 0, away: 0, total: 0 };
  return { home: home / s, away: away / s, total: (home + away) / s };
}

/** Distribution of total goals: `out[k]` = P(home + away = k). */
export function totalGoalsDistribution(grid: ReadonlyScoreGrid): number[] {
  const out: number[] = [];
  grid.forEach((row, h) =>
    row.forEach((p, a) => {
      out[h + a] = (out[h + a] ?? 0) + p;
    }),
  );
  for (let i = 0; i < out.length; i++) out[i] = out[i] ?? 0;
  return out;
}

/** Both-teams-to-score probabilities. */
export function bothTeamsToScore(grid: ReadonlyScoreGrid): { yes: number; no: number } {
  let yes = 0;
  let s = 0;
  grid.forEach((row, h) =>
    row.forEach((p, a) => {
      if (h > 0 && a > 0) yes += p;
      s += p;
    }),
  );
  return s > 0 ? { yes: yes / s, no: 1 - yes / s } : { yes: 0, no: 1 };
}

/** One exact score with its probability. */
export interface ScoreProbability {
  /** Home goals. */
  home: number;
  /** Away goals. */
  away: number;
  /** Probability of exactly this score. */
  probability: number;
}

/** The `n` (default 5) most likely exact scores, most likely first (ties: fewer total goals, then home goals). */
export function topScores(grid: ReadonlyScoreGrid, n = 5): ScoreProbability[] {
  const all: ScoreProbability[] = [];
  grid.forEach((row, h) => row.forEach((p, a) => all.push({ home: h, away: a, probability: p })));
  all.sort((x, y) => y.probability - x.probability || x.home + x.away - (y.home + y.away) || x.home - y.home);
  return all.slice(0, Math.max(0, n));
}

/**
 * Settlement probabilities of a line bet. Half lines (x.5) only win/lose; whole lines can push;
 * quarter lines (x.25 / x.75, staked half on each neighbouring line) can also half-win / half-lose.
 * The five fields sum to 1.
 */
export interface LineSettlement {
  /** Full stake wins. */
  win: number;
  /** Half the stake wins, half is refunded. */
  halfWin: number;
  /** Whole stake refunded. */
  push: number;
  /** Half the stake loses, half is refunded. */
  halfLose: number;
  /** Full stake loses. */
  lose: number;
}

/** Component lines of an Asian line: quarter lines split into line ± 0.25, others are themselves. */
function componentLines(line: number): number[] {
  const q = line * 4;
  const isQuarter = Math.abs(q - Math.round(q)) < 1e-9 && Math.abs(Math.round(q)) % 2 === 1;
  return isQuarter ? [line - 0.25, line + 0.25] : [line];
}

/** Settles a bet that wins when X > line, for X with the given (value, probability) pairs. */
function settle(values: Iterable<[number, number]>, line: number): LineSettlement {
  const parts = componentLines(line);
  const s: LineSettlement = { win: 0, halfWin: 0, push: 0, halfLose: 0, lose: 0 };
  let total = 0;
  for (const [x, p] of values) {
    total += p;
    let score = 0;
    for (const l of parts) {
      const d = x - l;
      score += Math.abs(d) < 1e-9 ? 0 : d > 0 ? 1 : -1;
    }
    score /= parts.length;
    if (score > 0.75) s.win += p;
    else if (score > 0.25) s.halfWin += p;
    else if (score > -0.25) s.push += p;
    else if (score > -0.75) s.halfLose += p;
    else s.lose += p;
  }
  if (total > 0) for (const k of Object.keys(s) as (keyof LineSettlement)[]) s[k] /= total;
  return s;
}

function mirror(s: LineSettlement): LineSettlement {
  return { win: s.lose, halfWin: s.halfLose, push: s.push, halfLose: s.halfWin, lose: s.win };
}

function* gridCells(grid: ReadonlyScoreGrid): Generator<[number, number, number]> {
  for (let h = 0; h < grid.length; h++) {
    const row = grid[h]!;
    for (let a = 0; a < row.length; a++) yield [h, a, row[a]!];
  }
}

/**
 * Total-goals market for any line (e.g. 2.5, 3, 2.25): settlement of the over and under bets.
 * For a half line, `over.win` is simply P(total > line).
 */
export function overUnder(grid: ReadonlyScoreGrid, line: number): { over: LineSettlement; under: LineSettlement } {
  const values = function* (): Generator<[number, number]> {
    for (const [h, a, p] of gridCells(grid)) yield [h + a, p];
  };
  const over = settle(values(), line);
  return { over, under: mirror(over) };
}

/**
 * Asian handicap with `handicap` applied to the home side (e.g. −0.5, −1, −1.25, +0.75): the home bet
 * wins when homeGoals + handicap > awayGoals; the away bet is the mirror (away side at −handicap).
 */
export function asianHandicap(
  grid: ReadonlyScoreGrid,
  handicap: number,
): { home: LineSettlement; away: LineSettlement } {
  const values = function* (): Generator<[number, number]> {
    for (const [h, a, p] of gridCells(grid)) yield [h - a, p];
  };
  const home = settle(values(), -handicap);
  return { home, away: mirror(home) };
}

/**
 * Fair (zero-margin) decimal odds of a line bet: o such that the expected profit is 0,
 * o = 1 + (lose + halfLose/2) / (win + halfWin/2). Infinity if the bet cannot win.
 */
export function fairLineOdds(s: LineSettlement): number {
  const up = s.win + s.halfWin / 2;
  const down = s.lose + s.halfLose / 2;
  return up > 0 ? 1 + down / up : Infinity;
}
