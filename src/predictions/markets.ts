import { asianHandicap, bothTeamsToScore, overUnder, topScores, type ReadonlyScoreGrid } from './models';

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

export function marketsFromGrid(grid: ReadonlyScoreGrid): PredictionMarkets {
  return {
    overUnder: OVER_UNDER_LINES.map((line) => {
      const { over, under } = overUnder(grid, line);
      return { line, over: over.win, under: under.win };
    }),
    bothTeamsToScore: bothTeamsToScore(grid),
    asianHandicap: HANDICAP_LINES.map((line) => {
      const { home, away } = asianHandicap(grid, line);
      return { line, home: home.win, push: home.push, away: away.win };
    }),
    topScores: topScores(grid, 5).map((s) => ({ homeGoals: s.home, awayGoals: s.away, probability: s.probability })),
  };
}
