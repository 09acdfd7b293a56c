/**
 * Bookmaker odds → probabilities with margin (overround) removal, and edge/value of a model
 * probability against a price. Odds are decimal (European): stake included, so evens = 2.0.
 */
import type { Probabilities1x2 } from './types';

/** Margin-removal method. */
export type MarginMethod = 'multiplicative' | 'power' | 'shin';

/** Result of {@link impliedProbabilities}. */
export interface ImpliedProbabilities {
  /** Margin-free probabilities, same order as the odds, summing to 1. */
  probabilities: number[];
  /** Booksum Σ 1/odds minus 1 (e.g. 0.05 for a 5% overround). */
  overround: number;
  /** Method used. */
  method: MarginMethod;
  /** Fitted method parameter: power exponent k (power), insider share z (Shin), 1 (multiplicative). */
  parameter: number;
}

/** Raw implied probabilities 1/odds (they sum to 1 + overround). Throws RangeError for odds ≤ 1 or non-finite. */
export function rawImpliedProbabilities(decimalOdds: readonly number[]): number[] {
  return decimalOdds.map((o) => {
    if (!(o > 1) || !Number.isFinite(o)) throw new RangeError(`decimal odds must be finite and > 1, got ${o}`);
    return 1 / o;
  });
}

/** Bookmaker overround Σ 1/odds − 1. */
export function overround(decimalOdds: readonly number[]): number {
  return rawImpliedProbabilities(decimalOdds).reduce((s, p) => s + p, 0) - 1;
}

/** Root of a decreasing function on [lo, hi] by bisection to ~machine precision. */
function bisectDecreasing(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Shin (1993) probabilities for insider share z: [√(z² + 4(1−z)π_i²/Π) − z] / (2(1−z)). */
function shinProbabilities(pi: readonly number[], booksum: number, z: number): number[] {
  return pi.map((p) => (Math.sqrt(z * z + (4 * (1 - z) * p * p) / booksum) - z) / (2 * (1 - z)));
}

/**
 * Margin-free probabilities from decimal odds.
 * - multiplicative: p_i = π_i / Σπ (proportional scaling).
 * - power: p_i = π_i^k with k chosen so Σ p_i = 1 (shades longshots more).
 * - shin: Shin's insider-trading model (Jullien & Salanié 1994 form), z solved so Σ p_i = 1;
 *   with no overround (Σπ ≤ 1) it reduces to multiplicative (z = 0).
 */
export function impliedProbabilities(
  decimalOdds: readonly number[],
  method: MarginMethod = 'multiplicative',
): ImpliedProbabilities {
  const pi = rawImpliedProbabilities(decimalOdds);
  const booksum = pi.reduce((s, p) => s + p, 0);
  const margin = booksum - 1;
  const multiplicative = (): ImpliedProbabilities => ({
    probabilities: pi.map((p) => p / booksum),
    overround: margin,
    method,
    parameter: method === 'shin' ? 0 : 1,
  });
  if (pi.length < 2 || method === 'multiplicative' || Math.abs(margin) < 1e-15) return multiplicative();
  if (method === 'power') {
    const f = (k: number): number => pi.reduce((s, p) => s + Math.pow(p, k), 0) - 1;
    let hi = 2;
    while (f(hi) > 0 && hi < 1e6) hi *= 2;
    const k = bisectDecreasing(f, 0, hi);
    const probs = pi.map((p) => Math.pow(p, k));
    const s = probs.reduce((a, b) => a + b, 0);
    return { probabilities: probs.map((p) => p / s), overround: margin, method, parameter: k };
  }
  // Shin
  if (booksum <= 1) return multiplicative();
  const z = bisectDecreasing((zz) => shinProbabilities(pi, booksum, zz).reduce((s, p) => s + p, 0) - 1, 0, 1 - 1e-12);
  const probs = shinProbabilities(pi, booksum, z);
  const s = probs.reduce((a, b) => a + b, 0);
  return { probabilities: probs.map((p) => p / s), overround: margin, method, parameter: z };
}

/** 1X2 decimal odds. */
export interface Odds1x2 {
  /** Home-win odds. */
  home: number;
  /** Draw odds. */
  draw: number;
  /** Away-win odds. */
  away: number;
}

/** Margin-free 1X2 probabilities from 1X2 decimal odds (default multiplicative). */
export function implied1x2(odds: Odds1x2, method: MarginMethod = 'multiplicative'): Probabilities1x2 {
  const [home, draw, away] = impliedProbabilities([odds.home, odds.draw, odds.away], method).probabilities as [
    number,
    number,
    number,
  ];
  return { home, draw, away };
}

/** Fair decimal odds 1/p (Infinity for p = 0). */
export function fairOdds(probability: number): number {
  return probability > 0 ? 1 / probability : Infinity;
}

/** Expected profit per unit stake of backing at `decimalOdds` with true probability `probability`: p·o − 1. */
export function expectedValue(probability: number, decimalOdds: number): number {
  return probability * decimalOdds - 1;
}

/** Probability edge of a model over the (margin-free) market: p_model − p_market. */
export function probabilityEdge(modelProbability: number, marketProbability: number): number {
  return modelProbability - marketProbability;
}

/** Full-Kelly stake fraction (p·o − 1)/(o − 1), floored at 0 (no bet without positive value). */
export function kellyFraction(probability: number, decimalOdds: number): number {
  if (!(decimalOdds > 1)) return 0;
  return Math.max(0, (probability * decimalOdds - 1) / (decimalOdds - 1));
}

/** Per-outcome edge of model 1X2 probabilities against 1X2 odds. */
export interface Edge1x2 {
  /** Margin-free market probabilities. */
  market: Probabilities1x2;
  /** p_model − p_market per outcome. */
  probabilityEdge: Probabilities1x2;
  /** Expected profit per unit stake at the quoted (margin-inclusive) odds, per outcome. */
  expectedValue: Probabilities1x2;
}

/** Compares model 1X2 probabilities with quoted 1X2 odds (market margin removed with `method`). */
export function edge1x2(model: Probabilities1x2, odds: Odds1x2, method: MarginMethod = 'multiplicative'): Edge1x2 {
  const market = implied1x2(odds, method);
  return {
    market,
    probabilityEdge: {
      home: model.home - market.home,
      draw: model.draw - market.draw,
      away: model.away - market.away,
    },
    expectedValue: {
      home: expectedValue(model.home, odds.home),
      draw: expectedValue(model.draw, odds.draw),
      away: expectedValue(model.away, odds.away),
    },
  };
}
