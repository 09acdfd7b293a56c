/**
 * Goal rates for the score grid that agree with the ensemble's 1X2.
 *
 * The ensemble produces 1X2 only, but the markets (over/under, BTTS, exact scores, Asian handicap)
 * need a score grid. We keep the goals model's expected total λ + μ and ρ, and solve for the split
 * λ − μ whose Dixon-Coles grid gives the ensemble's P(home) − P(away); the grid's 1X2 then sits
 * close to the ensemble's (the draw share is whatever that grid implies).
 */
import { DEFAULT_MAX_GOALS, dixonColesTau } from '../models';

/** Home/away expected goals. */
export interface GoalRates {
  homeRate: number;
  awayRate: number;
}

const G = DEFAULT_MAX_GOALS;
const ph = new Float64Array(G + 1);
const pa = new Float64Array(G + 1);

function fillPmf(out: Float64Array, rate: number): void {
  out[0] = Math.exp(-rate);
  for (let k = 1; k <= G; k++) out[k] = (out[k - 1]! * rate) / k;
}

/**
 * P(home) − P(away) of the renormalised Dixon-Coles grid `scoreGrid(λ, μ, { rho })` (same truncation
 * and τ clamping), in O(G) without building the grid: this runs ~40 times per prediction.
 */
export function gridEdge(homeRate: number, awayRate: number, rho: number): number {
  fillPmf(ph, homeRate);
  fillPmf(pa, awayRate);
  let home = 0;
  let away = 0;
  let total = 0;
  let cumAway = 0; // Σ_{a<h} pa[a]
  let cumHome = 0; // Σ_{h<a} ph[h]
  let sumA = 0;
  for (let k = 0; k <= G; k++) {
    home += ph[k]! * cumAway;
    away += pa[k]! * cumHome;
    cumAway += pa[k]!;
    cumHome += ph[k]!;
    sumA += pa[k]!;
  }
  total = cumHome * sumA;
  if (rho !== 0) {
    // τ only touches 0-0, 0-1, 1-0 and 1-1; add each cell's change (τ − 1)·p.
    for (let h = 0; h <= 1; h++) {
      for (let a = 0; a <= 1; a++) {
        const p = ph[h]! * pa[a]!;
        const d = p * (Math.max(0, dixonColesTau(h, a, homeRate, awayRate, rho)) - 1);
        total += d;
        if (h > a) home += d;
        else if (h < a) away += d;
      }
    }
  }
  return total > 0 ? (home - away) / total : 0;
}

/**
 * Rates with λ + μ = `total` whose grid has P(home) − P(away) = `targetEdge` (bisection on λ − μ,
 * which moves the edge monotonically). Targets beyond what the total allows are clamped.
 */
export function ratesForEdge(total: number, targetEdge: number, rho: number): GoalRates {
  const t = Number.isFinite(total) && total > 0.2 ? total : 2.7;
  // Keep both rates ≥ 1% of the total so the grid stays well defined.
  let lo = -0.98 * t;
  let hi = 0.98 * t;
  const target = Number.isFinite(targetEdge) ? targetEdge : 0;
  for (let i = 0; i < 40; i++) {
    const mid = 0.5 * (lo + hi);
    if (gridEdge((t + mid) / 2, (t - mid) / 2, rho) < target) lo = mid;
    else hi = mid;
  }
  const s = 0.5 * (lo + hi);
  return { homeRate: (t + s) / 2, awayRate: (t - s) / 2 };
}
