/**
 * Linear-pool ensembles of 1X2 forecasts: weights on the simplex learnt by minimising the mean
 * log loss, RPS or Brier score of past (out-of-sample) predictions, via a softmax parametrisation
 * and L-BFGS with analytic gradients.
 */
import { minimizeLbfgs, type ObjectiveWithGradient } from './optim';
import { outcomeIndex, toArray1x2, type Outcome1x2, type Probabilities1x2 } from './types';

/** Loss minimised when learning weights. */
export type EnsembleLoss = 'logLoss' | 'rps' | 'brier';

/** One past match: each model's pre-match prediction (same model order everywhere) and the outcome. */
export interface EnsembleSample {
  /** Predictions by model, in a fixed model order. */
  predictions: readonly Probabilities1x2[];
  /** Observed outcome. */
  outcome: Outcome1x2;
  /** Optional non-negative sample weight (default 1), e.g. a time-decay weight. */
  weight?: number;
}

/** Options for {@link learnEnsembleWeights}. */
export interface EnsembleFitOptions {
  /** Loss to minimise (default 'logLoss'). */
  loss?: EnsembleLoss;
  /** L2 penalty on the softmax logits per unit weight, pulling towards equal weights (default 1e-4). */
  shrinkage?: number;
}

/** Learnt weights. */
export interface EnsembleWeights {
  /** Non-negative weights summing to 1, one per model. */
  weights: number[];
  /** Mean loss of the ensemble on the samples. */
  loss: number;
  /** Mean loss of each model alone on the samples. */
  modelLosses: number[];
  /** Loss used. */
  lossName: EnsembleLoss;
  /** Samples used. */
  count: number;
}

/** Weighted linear pool Σ w_k p_k (weights normalised; non-positive total ⇒ equal weights). Throws RangeError on a length mismatch. */
export function combine(weights: readonly number[], probsByModel: readonly Probabilities1x2[]): Probabilities1x2 {
  if (weights.length !== probsByModel.length) {
    throw new RangeError(`expected ${weights.length} model predictions, got ${probsByModel.length}`);
  }
  const k = weights.length;
  let s = 0;
  for (const w of weights) s += Math.max(0, w);
  const ws = s > 0 ? weights.map((w) => Math.max(0, w) / s) : weights.map(() => 1 / k);
  const out = { home: 0, draw: 0, away: 0 };
  probsByModel.forEach((p, i) => {
    out.home += ws[i]! * p.home;
    out.draw += ws[i]! * p.draw;
    out.away += ws[i]! * p.away;
  });
  return out;
}

/** Per-sample loss and its gradient with respect to the pooled probabilities q. */
function lossAndGradient(loss: EnsembleLoss, q: Float64Array, o: number, dq: Float64Array): number {
  if (loss === 'logLoss') {
    const p = Math.max(q[o]!, 1e-15);
    dq.fill(0);
    dq[o] = -1 / p;
    return -Math.log(p);
  }
  if (loss === 'brier') {
    let l = 0;
    for (let c = 0; c < 3; c++) {
      const d = q[c]! - (c === o ? 1 : 0);
      l += d * d;
      dq[c] = 2 * d;
    }
    return l;
  }
  // RPS (÷2): cumulative errors e1 = Q1 − Y1, e2 = Q2 − Y2; ∂/∂q0 = e1 + e2, ∂/∂q1 = e2, ∂/∂q2 = 0.
  const e1 = q[0]! - (o <= 0 ? 1 : 0);
  const e2 = q[0]! + q[1]! - (o <= 1 ? 1 : 0);
  dq[0] = e1 + e2;
  dq[1] = e2;
  dq[2] = 0;
  return 0.5 * (e1 * e1 + e2 * e2);
}

/** Mean-loss objective in softmax logits θ (weights = softmax θ), with analytic gradient. @internal */
export function ensembleObjective(
  samples: readonly EnsembleSample[],
  nModels: number,
  loss: EnsembleLoss,
  shrinkage: number,
): ObjectiveWithGradient {
  const n = samples.length;
  const P = samples.map((s) => s.predictions.map(toArray1x2));
  const O = samples.map((s) => outcomeIndex(s.outcome));
  const W = samples.map((s) => Math.max(0, s.weight ?? 1));
  const totalW = W.reduce((a, b) => a + b, 0) || 1;
  const w = new Float64Array(nModels);
  const q = new Float64Array(3);
  const dq = new Float64Array(3);
  const dw = new Float64Array(nModels);
  return (theta, g) => {
    let mx = -Infinity;
    for (let k = 0; k < nModels; k++) mx = Math.max(mx, theta[k]!);
    let z = 0;
    for (let k = 0; k < nModels; k++) {
      w[k] = Math.exp(theta[k]! - mx);
      z += w[k]!;
    }
    for (let k = 0; k < nModels; k++) w[k] = w[k]! / z;
    dw.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const ps = P[i]!;
      q.fill(0);
      for (let k = 0; k < nModels; k++) {
        const p = ps[k]!;
        q[0] = q[0]! + w[k]! * p[0];
        q[1] = q[1]! + w[k]! * p[1];
        q[2] = q[2]! + w[k]! * p[2];
      }
      const wi = W[i]! / totalW;
      total += wi * lossAndGradient(loss, q, O[i]!, dq);
      for (let k = 0; k < nModels; k++) {
        const p = ps[k]!;
        dw[k] = dw[k]! + wi * (dq[0]! * p[0] + dq[1]! * p[1] + dq[2]! * p[2]);
      }
    }
    // Softmax chain rule: ∂L/∂θ_j = w_j (∂L/∂w_j − Σ_k w_k ∂L/∂w_k).
    let avg = 0;
    for (let k = 0; k < nModels; k++) avg += w[k]! * dw[k]!;
    let meanTheta = 0;
    for (let k = 0; k < nModels; k++) meanTheta += theta[k]! / nModels;
    for (let k = 0; k < nModels; k++) {
      const c = theta[k]! - meanTheta;
      total += 0.5 * shrinkage * c * c;
      g[k] = w[k]! * (dw[k]! - avg) + shrinkage * c;
    }
    return total;
  };
}

/**
 * Learns linear-pool weights from past (predictions, outcome) pairs. Use only predictions that were
 * made before each match (out-of-sample) so the weights are honest. With no samples or one model,
 * returns equal weights.
 */
export function learnEnsembleWeights(
  samples: readonly EnsembleSample[],
  options: EnsembleFitOptions = {},
): EnsembleWeights {
  const loss = options.loss ?? 'logLoss';
  const shrinkage = Math.max(0, options.shrinkage ?? 1e-4);
  const nModels = samples[0]?.predictions.length ?? 0;
  const usable = samples.filter((s) => s.predictions.length === nModels && (s.weight ?? 1) > 0);
  const modelLosses = Array.from({ length: nModels }, (_, k) => {
    const one = ensembleObjective(
      usable.map((s) => ({ ...s, predictions: [s.predictions[k]!] })),
      1,
      loss,
      0,
    );
    return usable.length > 0 ? one(new Float64Array(1), new Float64Array(1)) : NaN;
  });
  const equal = Array.from({ length: nModels }, () => 1 / nModels);
  if (nModels <= 1 || usable.length === 0) {
    const l = nModels === 1 ? modelLosses[0]! : NaN;
    return { weights: equal, loss: l, modelLosses, lossName: loss, count: usable.length };
  }
  const fg = ensembleObjective(usable, nModels, loss, shrinkage);
  const res = minimizeLbfgs(fg, new Float64Array(nModels), { gradientTolerance: 1e-10 });
  let mx = -Infinity;
  for (const t of res.x) mx = Math.max(mx, t);
  const e = Array.from(res.x, (t) => Math.exp(t - mx));
  const z = e.reduce((a, b) => a + b, 0);
  const weights = e.map((v) => v / z);
  const plain = ensembleObjective(usable, nModels, loss, 0);
  return {
    weights,
    loss: plain(res.x, new Float64Array(nModels)),
    modelLosses,
    lossName: loss,
    count: usable.length,
  };
}
