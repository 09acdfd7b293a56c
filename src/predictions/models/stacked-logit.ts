/**
 * Multi-feature ordered logit, used to stack models: each base model contributes a feature (a log
 * rate ratio, a rating gap, …) and one proportional-odds regression turns them into 1X2 probabilities
 *   P(away) = σ(c1 − β·x),  P(away or draw) = σ(c2 − β·x),  c1 < c2.
 * Why not a linear pool: a base model whose probabilities are badly scaled (the shots model's
 * Poisson grid is too flat) still carries strong signal in its feature; the regression rescales it.
 * Fitted by maximum weighted likelihood with a small ridge on the standardised coefficients.
 */
import { minimizeLbfgs, type ObjectiveWithGradient } from './optim';
import { orderedLogitTerm, sigmoid } from './ordered-logit';
import { outcomeIndex, type Outcome1x2, type Probabilities1x2 } from './types';

/** Fitted stacked ordered logit (coefficients on the raw feature scale). */
export interface StackedLogit {
  /** β per feature: positive favours the home side. */
  coefficients: number[];
  /** Away/draw cutpoint c1. */
  cutAway: number;
  /** Draw/home cutpoint c2 (> c1). */
  cutHome: number;
  /** Observations fitted (0 ⇒ base rates only). */
  count: number;
}

/** One training observation. */
export interface StackedObservation {
  /** Feature vector (same length and order for every observation). */
  x: readonly number[];
  /** Observed outcome. */
  outcome: Outcome1x2;
  /** Non-negative weight (default 1). */
  weight?: number;
}

/** Options for {@link fitStackedLogit}. */
export interface StackedLogitOptions {
  /** L2 penalty on the standardised coefficients per unit weight (default 1e-4). */
  ridge?: number;
  /**
   * Coefficients (raw feature scale) the ridge pulls towards instead of zero: a pooled fit over
   * related data (other competitions), so that a competition's own fit strays from it only as far
   * as its own matches justify.
   */
  prior?: readonly number[];
}

/** 1X2 probabilities of the stacked logit for feature vector `x` (missing features count as 0). */
export function stackedLogitProbabilities(model: StackedLogit, x: readonly number[]): Probabilities1x2 {
  let eta = 0;
  model.coefficients.forEach((b, j) => {
    const v = x[j] ?? 0;
    if (Number.isFinite(v)) eta += b * v;
  });
  const pAway = sigmoid(model.cutAway - eta);
  const pNotHome = sigmoid(model.cutHome - eta);
  return { home: 1 - pNotHome, draw: Math.max(0, pNotHome - pAway), away: pAway };
}

/**
 * Negative weighted log-likelihood in [β_1..β_k, c1, δ] (c2 = c1 + e^δ) over standardised features
 * `z` (row-major n×k), with analytic gradient. `ks`: 0 home, 1 draw, 2 away. @internal
 */
export function stackedLogitObjective(
  z: Float64Array,
  k: number,
  ws: Float64Array,
  ks: Uint8Array,
  ridge: number,
  center: Float64Array = new Float64Array(k),
): ObjectiveWithGradient {
  const n = ws.length;
  return (p, g) => {
    g.fill(0);
    const c1 = p[k]!;
    const ed = Math.exp(p[k + 1]!);
    const c2 = c1 + ed;
    let nll = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < k; j++) eta += p[j]! * z[i * k + j]!;
      const w = ws[i]!;
      const { logLikelihood, d1, d2 } = orderedLogitTerm(c1 - eta, c2 - eta, ks[i]!);
      nll -= w * logLikelihood;
      const d = d1 + d2;
      for (let j = 0; j < k; j++) g[j] = g[j]! + w * d * z[i * k + j]!;
      g1 -= w * d;
      g2 -= w * d2;
    }
    for (let j = 0; j < k; j++) {
      const d = p[j]! - center[j]!;
      nll += 0.5 * ridge * d * d;
      g[j] = g[j]! + ridge * d;
    }
    g[k] = g1;
    g[k + 1] = g2 * ed;
    return nll;
  };
}

/**
 * Fits the stacked ordered logit. Rows with a non-finite feature or non-positive weight are
 * skipped; features are standardised internally (a constant feature gets coefficient 0). With no
 * usable rows the model reproduces typical base rates (46/26/28%).
 */
export function fitStackedLogit(
  observations: readonly StackedObservation[],
  options: StackedLogitOptions = {},
): StackedLogit {
  const k = observations[0]?.x.length ?? 0;
  const rows = observations.filter(
    (o) => o.x.length === k && o.x.every((v) => Number.isFinite(v)) && (o.weight ?? 1) > 0,
  );
  const logit = (q: number): number => Math.log(q / (1 - q));
  if (rows.length === 0) {
    return { coefficients: new Array<number>(k).fill(0), cutAway: logit(0.28), cutHome: logit(0.54), count: 0 };
  }
  const n = rows.length;
  let sw = 0;
  const mean = new Float64Array(k);
  const counts = [0, 0, 0];
  for (const o of rows) {
    const w = o.weight ?? 1;
    sw += w;
    o.x.forEach((v, j) => (mean[j] = mean[j]! + w * v));
    counts[outcomeIndex(o.outcome)]! += w;
  }
  for (let j = 0; j < k; j++) mean[j] = mean[j]! / sw;
  const sd = new Float64Array(k);
  for (const o of rows) o.x.forEach((v, j) => (sd[j] = sd[j]! + ((o.weight ?? 1) * (v - mean[j]!) ** 2) / sw));
  for (let j = 0; j < k; j++) sd[j] = Math.sqrt(sd[j]!);
  const z = new Float64Array(n * k);
  const ws = new Float64Array(n);
  const ks = new Uint8Array(n);
  rows.forEach((o, i) => {
    for (let j = 0; j < k; j++) z[i * k + j] = sd[j]! > 0 ? (o.x[j]! - mean[j]!) / sd[j]! : 0;
    ws[i] = (o.weight ?? 1) / sw;
    ks[i] = outcomeIndex(o.outcome);
  });
  const pAway = (counts[2]! + 0.5) / (sw + 1.5);
  const pNotHome = (counts[2]! + counts[1]! + 1) / (sw + 1.5);
  const x0 = new Float64Array(k + 2);
  x0[k] = logit(pAway);
  x0[k + 1] = Math.log(Math.max(logit(pNotHome) - logit(pAway), 1e-3));
  // The prior in the standardised space the penalty works in: β_std = β_raw · sd.
  const center = new Float64Array(k);
  for (let j = 0; j < k; j++) center[j] = (options.prior?.[j] ?? 0) * sd[j]!;
  for (let j = 0; j < k; j++) x0[j] = center[j]!;
  const ridge = Math.max(0, options.ridge ?? 1e-4);
  const res = minimizeLbfgs(stackedLogitObjective(z, k, ws, ks, ridge, center), x0, {
    gradientTolerance: 1e-9,
  });
  // Back to the raw scale: β_raw = β_std / sd, and the cuts absorb β·mean.
  const coefficients = Array.from({ length: k }, (_, j) => (sd[j]! > 0 ? res.x[j]! / sd[j]! : 0));
  let shift = 0;
  for (let j = 0; j < k; j++) shift += coefficients[j]! * mean[j]!;
  const c1 = res.x[k]!;
  const c2 = c1 + Math.exp(res.x[k + 1]!);
  return { coefficients, cutAway: c1 + shift, cutHome: c2 + shift, count: n };
}
