import { BadUserInputError } from '../errors';
import { AlertKind, Outcome } from './alert.enums';
import type { AlertValues } from './alert.types';

/** 1X2 probabilities of a prediction. */
export interface Probabilities {
  homeWin: number;
  draw: number;
  awayWin: number;
}

/** One bookmaker's current ONE_X_TWO prices, [home, draw, away]. */
export interface BookPrices {
  bookmaker: string;
  prices: number[];
}

// Probabilities and prices are doubles: 0.55 × 2.0 − 1 must count as an edge of 0.1.
const EPSILON = 1e-9;

const OUTCOMES = [Outcome.HOME, Outcome.DRAW, Outcome.AWAY] as const;

const OUTCOME_OF_KIND: Partial<Record<AlertKind, Outcome>> = {
  [AlertKind.HOME_WIN_ABOVE]: Outcome.HOME,
  [AlertKind.DRAW_ABOVE]: Outcome.DRAW,
  [AlertKind.AWAY_WIN_ABOVE]: Outcome.AWAY,
};

function probabilityOf(probabilities: Probabilities, outcome: Outcome): number {
  if (outcome === Outcome.HOME) return probabilities.homeWin;
  if (outcome === Outcome.DRAW) return probabilities.draw;
  return probabilities.awayWin;
}

/** BAD_USER_INPUT unless `threshold` suits `kind`: a probability strictly inside 0–1, or an edge of 0–10. */
export function checkThreshold(kind: AlertKind, threshold: number): void {
  if (kind === AlertKind.EDGE_OVER_BEST_PRICE) {
    if (!(Number.isFinite(threshold) && threshold >= 0 && threshold <= 10)) {
      throw new BadUserInputError(`threshold of ${kind} must be an edge between 0 and 10, e.g. 0.05`, 'threshold');
    }
  } else if (!(Number.isFinite(threshold) && threshold > 0 && threshold < 1)) {
    throw new BadUserInputError(`threshold of ${kind} must be a probability between 0 and 1 (exclusive)`, 'threshold');
  }
}

/**
 * Whether a rule of a *_ABOVE kind fires on `current`: its probability is at least the threshold
 * and the previous prediction's was below it (or there was none). The values that made it fire,
 * or null.
 */
export function thresholdCrossed(
  kind: AlertKind,
  threshold: number,
  current: Probabilities,
  previous: Probabilities | null,
): AlertValues | null {
  const outcome = OUTCOME_OF_KIND[kind];
  if (!outcome) return null;
  const probability = probabilityOf(current, outcome);
  const previousProbability = previous ? probabilityOf(previous, outcome) : null;
  if (probability < threshold - EPSILON) return null;
  if (previousProbability !== null && previousProbability >= threshold - EPSILON) return null;
  return { outcome, probability, previousProbability };
}

/**
 * The largest edge (probability × best decimal price − 1) over the three outcomes, with the
 * bookmaker offering that price; null without any valid price.
 */
export function bestEdge(current: Probabilities, books: readonly BookPrices[]): AlertValues | null {
  let best: AlertValues | null = null;
  OUTCOMES.forEach((outcome, index) => {
    const probability = probabilityOf(current, outcome);
    for (const { bookmaker, prices } of books) {
      const price = prices[index];
      if (typeof price !== 'number' || !Number.isFinite(price) || price <= 1) continue;
      const edge = probability * price - 1;
      if (!best || edge > best.edge!) best = { outcome, probability, price, bookmaker, edge };
    }
  });
  return best;
}

/** The values that make a rule fire on a new prediction, or null when it does not. */
export function firedValues(
  rule: { kind: AlertKind; threshold: number },
  current: Probabilities,
  previous: Probabilities | null,
  books: readonly BookPrices[],
): AlertValues | null {
  if (rule.kind !== AlertKind.EDGE_OVER_BEST_PRICE) {
    return thresholdCrossed(rule.kind, rule.threshold, current, previous);
  }
  const edge = bestEdge(current, books);
  return edge && edge.edge! >= rule.threshold - EPSILON ? edge : null;
}
