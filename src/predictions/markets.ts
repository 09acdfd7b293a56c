import type { ReadonlyScoreGrid } from './models';

/** Betting markets derived from a score grid; stored with each prediction (JSON). */
export interface PredictionMarkets {
  overUnder: { line: number; over: number; under: number }[];
  bothTeamsToScore: { yes: number; no: number };
  /** Home handicap lines; `push` is the refunded share on whole lines. */
  asianHandicap: { line: number; home: number; push: number; away: number }[];
  topScores: { homeGoals: number; awayGoals: number; probability: number }[];
}

export const OVER_UNDER_LINES = [0.5, 1.5, 2.5, 3.5, 4.5];
export const HANDICAP_LINES = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];
const TOP_SCORES = 5;

/**
 * Every line here is a half or whole line, settled on one number of the score (total goals, goal
 * difference): each market is a sum over that number's distribution rather than a pass over the
 * grid per line. This runs on every ingested event, on grids that grow with the score (an in-play
 * grid is the remaining goals' shifted by it, zeros below), so it is one pass over the grid that
 * skips empty cells and allocates nothing per cell. markets.test.ts holds it to the score-grid
 * functions (`overUnder`, `asianHandicap`, which also take quarter lines, and `topScores`).
 */
export function marketsFromGrid(grid: ReadonlyScoreGrid): PredictionMarkets {
  const scan = scanGrid(grid);
  const overTotals = shares(scan.totals, 0);
  const onDifferences = shares(scan.differences, scan.differenceOffset);
  return {
    overUnder: OVER_UNDER_LINES.map((line) => ({
      line,
      over: overTotals((total) => total > line),
      under: overTotals((total) => total < line),
    })),
    bothTeamsToScore:
      scan.mass > 0 ? { yes: scan.bothScore / scan.mass, no: 1 - scan.bothScore / scan.mass } : { yes: 0, no: 1 },
    asianHandicap: HANDICAP_LINES.map((line) => ({
      line,
      home: onDifferences((difference) => difference + line > 0),
      push: onDifferences((difference) => difference + line === 0),
      away: onDifferences((difference) => difference + line < 0),
    })),
    topScores: scan.top.map((s) => ({ homeGoals: s.home, awayGoals: s.away, probability: s.probability })),
  };
}

interface Score {
  home: number;
  away: number;
  probability: number;
}

interface GridScan {
  /** `totals[k]` = P(home + away = k). */
  totals: Float64Array;
  /** `differences[d + differenceOffset]` = P(home − away = d). */
  differences: Float64Array;
  differenceOffset: number;
  /** Sum of all cells, and of those where both sides scored. */
  mass: number;
  bothScore: number;
  /** The most likely scores, most likely first (ties: fewer goals, then fewer home goals). */
  top: Score[];
}

function scanGrid(grid: ReadonlyScoreGrid): GridScan {
  let width = 0;
  for (const row of grid) width = Math.max(width, row.length);
  const span = Math.max(1, grid.length + width - 1);
  const totals = new Float64Array(span);
  const differences = new Float64Array(span);
  const differenceOffset = width - 1;
  const top: Score[] = [];
  let mass = 0;
  let bothScore = 0;
  for (let h = 0; h < grid.length; h++) {
    const row = grid[h]!;
    for (let a = 0; a < row.length; a++) {
      const p = row[a]!;
      if (top.length < TOP_SCORES || ranksBefore(p, h, a, top[top.length - 1]!)) keepTop(top, p, h, a);
      // Sums in the grid's order, as the score-grid functions add them; an empty cell adds nothing.
      if (p === 0) continue;
      totals[h + a]! += p;
      differences[h - a + differenceOffset]! += p;
      mass += p;
      if (h > 0 && a > 0) bothScore += p;
    }
  }
  return { totals, differences, differenceOffset, mass, bothScore, top };
}

function ranksBefore(probability: number, home: number, away: number, other: Score): boolean {
  if (probability !== other.probability) return probability > other.probability;
  const goals = home + away;
  const otherGoals = other.home + other.away;
  return goals !== otherGoals ? goals < otherGoals : home < other.home;
}

/** Inserts the score into `top` (sorted, at most TOP_SCORES long) at its rank. */
function keepTop(top: Score[], probability: number, home: number, away: number): void {
  let at = top.length;
  while (at > 0 && ranksBefore(probability, home, away, top[at - 1]!)) at--;
  top.splice(at, 0, { home, away, probability });
  if (top.length > TOP_SCORES) top.pop();
}

/**
 * The share of the distribution's mass where `counts` holds of the value (index − offset). The
 * mass is summed in the same order as each share, so a share that leaves out only zeros is
 * exactly 1 (a settled line is certain).
 */
function shares(distribution: Float64Array, offset: number): (counts: (value: number) => boolean) => number {
  const sumWhere = (counts: (value: number) => boolean) => {
    let sum = 0;
    for (let i = 0; i < distribution.length; i++)
      if (distribution[i]! !== 0 && counts(i - offset)) sum += distribution[i]!;
    return sum;
  };
  const mass = sumWhere(() => true);
  return (counts) => (mass > 0 ? Math.min(1, sumWhere(counts) / mass) : 0);
}
