import { describe, expect, it } from 'vitest';
import { bestEdge, checkThreshold, firedValues, thresholdCrossed } from '../../src/alerts/alert.conditions';
import { AlertKind, Outcome } from '../../src/alerts/alert.enums';

const p = (homeWin: number, draw: number, awayWin: number) => ({ homeWin, draw, awayWin });

describe('thresholdCrossed', () => {
  it('fires when the probability reaches the threshold from below', () => {
    expect(thresholdCrossed(AlertKind.HOME_WIN_ABOVE, 0.7, p(0.72, 0.18, 0.1), p(0.6, 0.25, 0.15))).toEqual({
      outcome: Outcome.HOME,
      probability: 0.72,
      previousProbability: 0.6,
    });
    expect(thresholdCrossed(AlertKind.DRAW_ABOVE, 0.3, p(0.35, 0.3, 0.35), p(0.4, 0.29, 0.31))).toMatchObject({
      outcome: Outcome.DRAW,
    });
    expect(thresholdCrossed(AlertKind.AWAY_WIN_ABOVE, 0.5, p(0.2, 0.2, 0.6), null)).toMatchObject({
      outcome: Outcome.AWAY,
      previousProbability: null,
    });
  });

  it('does not fire while the probability stays above, stays below, or falls', () => {
    expect(thresholdCrossed(AlertKind.HOME_WIN_ABOVE, 0.7, p(0.8, 0.1, 0.1), p(0.75, 0.15, 0.1))).toBeNull();
    expect(thresholdCrossed(AlertKind.HOME_WIN_ABOVE, 0.7, p(0.65, 0.2, 0.15), p(0.6, 0.25, 0.15))).toBeNull();
    expect(thresholdCrossed(AlertKind.HOME_WIN_ABOVE, 0.7, p(0.6, 0.25, 0.15), p(0.8, 0.1, 0.1))).toBeNull();
    expect(thresholdCrossed(AlertKind.EDGE_OVER_BEST_PRICE, 0.05, p(0.8, 0.1, 0.1), null)).toBeNull();
  });
});

describe('bestEdge', () => {
  it('takes the best price of each outcome over bookmakers and returns the largest edge', () => {
    const books = [
      { bookmaker: 'a', prices: [2.0, 3.4, 4.0] },
      { bookmaker: 'b', prices: [2.2, 3.3, 3.8] },
    ];
    expect(bestEdge(p(0.5, 0.25, 0.25), books)).toEqual({
      outcome: Outcome.HOME,
      probability: 0.5,
      price: 2.2,
      bookmaker: 'b',
      edge: 0.5 * 2.2 - 1,
    });
    expect(bestEdge(p(0.3, 0.2, 0.5), books)).toMatchObject({ outcome: Outcome.AWAY, bookmaker: 'a', price: 4.0 });
  });

  it('ignores missing and invalid prices', () => {
    expect(bestEdge(p(0.5, 0.25, 0.25), [])).toBeNull();
    expect(bestEdge(p(0.5, 0.25, 0.25), [{ bookmaker: 'x', prices: [1, 0.5] }])).toBeNull();
  });
});

describe('firedValues', () => {
  it('fires an edge rule at exactly its threshold despite rounding, and not below it', () => {
    const books = [{ bookmaker: 'a', prices: [2.0, 3.0, 5.0] }];
    const rule = { kind: AlertKind.EDGE_OVER_BEST_PRICE, threshold: 0.1 };
    expect(firedValues(rule, p(0.55, 0.25, 0.2), null, books)).toMatchObject({ outcome: Outcome.HOME, price: 2.0 });
    expect(firedValues(rule, p(0.54, 0.26, 0.2), null, books)).toBeNull();
  });
});

describe('checkThreshold', () => {
  it('takes probabilities strictly inside 0–1 and edges of 0–10', () => {
    expect(() => checkThreshold(AlertKind.HOME_WIN_ABOVE, 0.5)).not.toThrow();
    expect(() => checkThreshold(AlertKind.EDGE_OVER_BEST_PRICE, 0)).not.toThrow();
    for (const threshold of [0, 1, -0.1, Number.NaN]) {
      expect(() => checkThreshold(AlertKind.DRAW_ABOVE, threshold)).toThrow(/between 0 and 1/);
    }
    for (const threshold of [-0.01, 10.5, Number.POSITIVE_INFINITY]) {
      expect(() => checkThreshold(AlertKind.EDGE_OVER_BEST_PRICE, threshold)).toThrow(/between 0 and 10/);
    }
  });
});
