/**
 * In-play probabilities from pre-match expected goals: goals in the remaining time are Poisson with
 * the pre-match rates scaled by the remaining fraction of the match (uniform scoring intensity),
 * adjusted for red cards, and added to the current score.
 */
import { DEFAULT_MAX_GOALS, outcome1x2, scoreGrid, shiftGrid, type ScoreGrid } from './score-grid';
import type { Probabilities1x2 } from './types';

/** Current match state. */
export interface InPlayState {
  /** Elapsed playing time in minutes, stoppage already played included (e.g. 93 in second-half stoppage). */
  minute: number;
  /** Current home goals. */
  homeGoals: number;
  /** Current away goals. */
  awayGoals: number;
  /** Home players sent off so far (default 0). */
  homeRedCards?: number;
  /** Away players sent off so far (default 0). */
  awayRedCards?: number;
  /** Final whistle blown: the current score is the result (default false). */
  finished?: boolean;
}

/** Pre-match expectation (e.g. from {@link DixonColesModel.predict}). */
export interface PreMatchRates {
  /** Pre-match expected home goals over the whole match. */
  homeRate: number;
  /** Pre-match expected away goals over the whole match. */
  awayRate: number;
  /** Dixon-Coles ρ applied to the remaining-goals grid (default 0). */
  rho?: number;
}

/** In-play model options. */
export interface InPlayOptions {
  /** Expected total stoppage time (minutes, both halves; default 8): match length = 90 + this. */
  expectedStoppage?: number;
  /** Multiplier on a side's remaining scoring rate per own red card (default 0.7). */
  redCardOwnFactor?: number;
  /** Multiplier on a side's remaining scoring rate per opponent red card (default 1.2). */
  redCardOpponentFactor?: number;
  /** Largest number of further goals per side in the remaining grid (default 10). */
  maxGoals?: number;
  /**
   * Share of a match's goals scored in the first half, its stoppage included (fitted from
   * half-time and full-time scores: see {@link firstHalfGoalShare}). Absent: goals come at one
   * rate over all 90 + stoppage minutes. Present: at that share up to minute 45, the rest over
   * the second half and all of the stoppage time.
   */
  firstHalfShare?: number;
}

/**
 * The share of the match's expected goals still to come at `minute` of a match of 90 +
 * `stoppage` minutes, with `firstHalfShare` of them in the first half (or uniform without it).
 */
export function remainingShare(minute: number, stoppage: number, firstHalfShare?: number): number {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  if (firstHalfShare === undefined) return clamp((90 + stoppage - minute) / (90 + stoppage));
  const first = clamp(firstHalfShare);
  if (minute < 45) return 1 - first * clamp(minute / 45);
  return (1 - first) * clamp((90 + stoppage - minute) / (45 + stoppage));
}

/** First-half goals over all goals of finished matches with both scores known (NaN without goals). */
export function firstHalfGoalShare(matches: readonly { halfTimeGoals: number; fullTimeGoals: number }[]): number {
  let first = 0;
  let all = 0;
  for (const m of matches) {
    if (m.halfTimeGoals > m.fullTimeGoals || m.halfTimeGoals < 0) continue; // a data error
    first += m.halfTimeGoals;
    all += m.fullTimeGoals;
  }
  return all > 0 ? first / all : Number.NaN;
}

/** In-play prediction. */
export interface InPlayPrediction {
  /** Remaining share of the match, in [0, 1]. */
  remainingFraction: number;
  /** Expected further home goals. */
  remainingHomeRate: number;
  /** Expected further away goals. */
  remainingAwayRate: number;
  /** `remainingGrid[h][a]` = P(h more home goals and a more away goals). */
  remainingGrid: ScoreGrid;
  /** Final-score grid (remaining grid shifted by the current score). */
  finalGrid: ScoreGrid;
  /** Final-result probabilities. */
  probabilities: Probabilities1x2;
}

/**
 * Final-result probabilities and remaining-goals distribution.
 * Remaining fraction = clamp((90 + stoppage − minute)/(90 + stoppage), 0, 1), or 0 when `finished`.
 * Each red card multiplies the carded side's remaining rate by `redCardOwnFactor` and the opponent's by
 * `redCardOpponentFactor` (defaults 0.7 / 1.2 are round assumptions of the size reported for ten-man
 * sides; calibrate on in-play data before relying on them). At minute 0, 0-0, no cards this equals
 * the pre-match grid; at or after full time the result is certain.
 */
export function inPlayPrediction(
  preMatch: PreMatchRates,
  state: InPlayState,
  options: InPlayOptions = {},
): InPlayPrediction {
  const stoppage = Math.max(0, options.expectedStoppage ?? 8);
  const own = options.redCardOwnFactor ?? 0.7;
  const opp = options.redCardOpponentFactor ?? 1.2;
  const minute = Number.isFinite(state.minute) ? state.minute : 0;
  const remainingFraction = state.finished ? 0 : remainingShare(minute, stoppage, options.firstHalfShare);
  const hr = Math.max(0, state.homeRedCards ?? 0);
  const ar = Math.max(0, state.awayRedCards ?? 0);
  const remainingHomeRate = Math.max(0, preMatch.homeRate) * remainingFraction * own ** hr * opp ** ar;
  const remainingAwayRate = Math.max(0, preMatch.awayRate) * remainingFraction * own ** ar * opp ** hr;
  const remainingGrid =
    remainingFraction > 0
      ? scoreGrid(remainingHomeRate, remainingAwayRate, {
          rho: preMatch.rho ?? 0,
          maxGoals: options.maxGoals ?? DEFAULT_MAX_GOALS,
        })
      : [[1]];
  const finalGrid = shiftGrid(remainingGrid, Math.max(0, state.homeGoals), Math.max(0, state.awayGoals));
  return {
    remainingFraction,
    remainingHomeRate,
    remainingAwayRate,
    remainingGrid,
    finalGrid,
    probabilities: outcome1x2(finalGrid),
  };
}
