import { bothTeamsToScore, topScores, type ReadonlyScoreGrid } from './models';

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

/**
 * Every line here is a half or whole line, settled on one number of the score (total goals, goal
 * difference): each market is a sum over that number's distribution rather than a pass over the
 * grid per line (this runs on every ingested event). markets.test.ts holds it to the score-grid
 * functions' settlement (`overUnder`, `asianHandicap`), which also take quarter lines.
 */
export function marketsFromGrid(grid: ReadonlyScoreGrid): PredictionMarkets {
  const { totals, differences } = scoreDistributions(grid);
  const overTotals = shares(totals);
  const onDifferences = shares(differences);
  return {
    overUnder: OVER_UNDER_LINES.map((line) => ({
      line,
      over: overTotals((total) => total > line),
      under: overTotals((total) => total < line),
    })),
    bothTeamsToScore: bothTeamsToScore(grid),
    asianHandicap: HANDICAP_LINES.map((line) => ({
      line,
      home: onDifferences((difference) => difference + line > 0),
      push: onDifferences((difference) => difference + line === 0),
      away: onDifferences((difference) => difference + line < 0),
    })),
    topScores: topScores(grid, 5).map((s) => ({ homeGoals: s.home, awayGoals: s.away, probability: s.probability })),
  };
}

/**
 * The share of the distribution's mass where `counts` holds. The mass is summed in the same order
 * as each share, so a share that leaves out only zeros is exactly 1 (a settled line is certain).
 */
function shares(distribution: Map<number, number>): (counts: (value: number) => boolean) => number {
  const mass = sumWhere(distribution, () => true);
  return (counts) => (mass > 0 ? Math.min(1, sumWhere(distribution, counts) / mass) : 0);
}

/** Probability of each total goals and each goal difference (home minus away), as value → probability. */
function scoreDistributions(grid: ReadonlyScoreGrid): {
  totals: Map<number, number>;
  differences: Map<number, number>;
} {
  const totals = new Map<number, number>();
  const differences = new Map<number, number>();
  for (let h = 0; h < grid.length; h++) {
    const row = grid[h]!;
    for (let a = 0; a < row.length; a++) {
      const p = row[a]!;
      totals.set(h + a, (totals.get(h + a) ?? 0) + p);
      differences.set(h - a, (differences.get(h - a) ?? 0) + p);
    }
  }
  return { totals, differences };
}

function sumWhere(distribution: Map<number, number>, counts: (value: number) => boolean): number {
  let sum = 0;
  for (const [value, p] of distribution) if (counts(value)) sum += p;
  return sum;
}
