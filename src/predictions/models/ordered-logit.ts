/**
 * Ordered-logit (proportional-odds) mapping from one rating feature x (e.g. an Elo gap or an
 * expected goal difference) to 1X2 probabilities, fitted by maximum (weighted) likelihood:
 *   P(away) = σ(c1 − βx),  P(away or draw) = σ(c2 − βx),  c1 < c2,
 * so P(home) = 1 − σ(c2 − βx) and P(draw) = σ(c2 − βx) − σ(c1 − βx).
 */
import { minimizeLbfgs, type ObjectiveWithGradient } from './optim';
import type { Outcome1x2, Probabilities1x2 } from './types';

/** Fitted ordered-logit mapping. */
export interface OrderedLogit {
  /** Slope β per unit of the feature (positive: larger x favours the home side). */
  slope: number;
  /** Away/draw cutpoint c1. */
  cutAway: number;
  /** Draw/home cutpoint c2 (> c1). */
  cutHome: number;
  /** Number of observations fitted (0 ⇒ the default mapping). */
  count: number;
}

/** Logistic function. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log σ(z), numerically stable. */
function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

/** 1X2 probabilities of the mapping at feature value `x`. */
export function orderedLogitProbabilities(model: OrderedLogit, x: number): Probabilities1x2 {
  const eta = model.slope * x;
  const pAway = sigmoid(model.cutAway - eta);
  const pNotHome = sigmoid(model.cutHome - eta);
  return { home: 1 - pNotHome, draw: Math.max(0, pNotHome - pAway), away: pAway };
}

/**
 * Mapping with β = 0 reproducing the given base rates (default a typical top-flight 46% / 26% / 28%);
 * used when there is nothing to fit.
 */
export function baseRateOrderedLogit(rates: Probabilities1x2 = { home: 0.46, draw: 0.26, away: 0.28 }): OrderedLogit {
  const logit = (p: number): number => Math.log(p / (1 - p));
  const pa = Math.min(Math.max(rates.away, 1e-6), 1 - 2e-6);
  const pad = Math.min(Math.max(rates.away + rates.draw, pa + 1e-6), 1 - 1e-6);
  return { slope: 0, cutAway: logit(pa), cutHome: logit(pad), count: 0 };
}

/** One observation for {@link fitOrderedLogit}. */
export interface OrderedLogitObservation {
  /** Feature value (e.g. rating gap). */
  x: number;
  /** Observed outcome. */
  outcome: Outcome1x2;
  /** Non-negative weight (default 1). */
  weight?: number;
}

/**
 * Fits β, c1, c2 by maximum weighted likelihood (L-BFGS, analytic gradient; c2 = c1 + e^δ keeps the
 * cuts ordered, the feature is standardised internally). A tiny ridge (1e-6 per unit weight) keeps
 * separable data finite. With no usable data returns {@link baseRateOrderedLogit}.
 */
export function fitOrderedLogit(observations: readonly OrderedLogitObservation[]): OrderedLogit {
  const obs = observations.filter((o) => Number.isFinite(o.x) && (o.weight ?? 1) > 0);
  if (obs.length === 0) return baseRateOrderedLogit();
  let sw = 0;
  let mean = 0;
  const count = { home: 0, draw: 0, away: 0 };
  for (const o of obs) {
    const w = o.weight ?? 1;
    sw += w;
    mean += w * o.x;
    count[o.outcome] += w;
  }
  mean /= sw;
  let v = 0;
  for (const o of obs) v += (o.weight ?? 1) * (o.x - mean) ** 2;
  const sd = Math.sqrt(v / sw) || 1;
  const n = obs.length;
  const xs = new Float64Array(n);
  const ws = new Float64Array(n);
  const ks = new Uint8Array(n); // 0 home, 1 draw, 2 away
  obs.forEach((o, i) => {
    xs[i] = (o.x - mean) / sd;
    ws[i] = (o.weight ?? 1) / sw;
    ks[i] = o.outcome === 'home' ? 0 : o.outcome === 'draw' ? 1 : 2;
  });
  // Start from the base rates (smoothed so no class has zero mass).
  const base = baseRateOrderedLogit({
    home: (count.home + 0.5) / (sw + 1.5),
    draw: (count.draw + 0.5) / (sw + 1.5),
    away: (count.away + 0.5) / (sw + 1.5),
  });
  const res = minimizeLbfgs(
    orderedLogitObjective(xs, ws, ks, 1e-6),
    [0, base.cutAway, Math.log(Math.max(base.cutHome - base.cutAway, 1e-3))],
    { gradientTolerance: 1e-9 },
  );
  const betaS = res.x[0]!;
  const c1s = res.x[1]!;
  const c2s = c1s + Math.exp(res.x[2]!);
  const slope = betaS / sd;
  return { slope, cutAway: c1s + slope * mean, cutHome: c2s + slope * mean, count: n };
}

/**
 * Log-likelihood of one observation of an ordered logit with cut distances z1 = c1 − η and
 * z2 = c2 − η (`outcome` 0 home, 1 draw, 2 away), and its derivatives d1 = ∂ℓ/∂z1, d2 = ∂ℓ/∂z2.
 * Shared by every ordered-logit objective. @internal
 */
export function orderedLogitTerm(
  z1: number,
  z2: number,
  outcome: number,
): { logLikelihood: number; d1: number; d2: number } {
  if (outcome === 2) return { logLikelihood: logSigmoid(z1), d1: 1 - sigmoid(z1), d2: 0 };
  if (outcome === 0) return { logLikelihood: logSigmoid(-z2), d1: 0, d2: -sigmoid(z2) };
  const s1 = sigmoid(z1);
  const s2 = sigmoid(z2);
  // σ(z2) − σ(z1) computed stably as σ(z2)(1 − σ(z1))(1 − e^{z1 − z2}), also when the cuts are close.
  const diff = s2 * (1 - s1) * -Math.expm1(z1 - z2);
  return {
    logLikelihood: Math.log(Math.max(diff, 1e-300)),
    d1: (-s1 * (1 - s1)) / diff,
    d2: (s2 * (1 - s2)) / diff,
  };
}

/**
 * Negative weighted log-likelihood of the ordered logit in parameters [β, c1, δ] (c2 = c1 + e^δ), with
 * analytic gradient. `ks`: 0 home, 1 draw, 2 away. @internal
 */
export function orderedLogitObjective(
  xs: Float64Array,
  ws: Float64Array,
  ks: Uint8Array,
  ridge: number,
): ObjectiveWithGradient {
  const n = xs.length;
  return (p, g) => {
    const beta = p[0]!;
    const c1 = p[1]!;
    const ed = Math.exp(p[2]!);
    const c2 = c1 + ed;
    let nll = 0;
    let gb = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const w = ws[i]!;
      const x = xs[i]!;
      const { logLikelihood, d1, d2 } = orderedLogitTerm(c1 - beta * x, c2 - beta * x, ks[i]!);
      nll -= w * logLikelihood;
      // ℓ derivatives → NLL gradient.
      g1 -= w * (d1 + d2);
      g2 -= w * d2;
      gb -= w * -x * (d1 + d2);
    }
    nll += 0.5 * ridge * beta * beta;
    g[0] = gb + ridge * beta;
    g[1] = g1;
    g[2] = g2 * ed;
    return nll;
  };
}
