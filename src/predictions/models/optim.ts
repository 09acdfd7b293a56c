/**
 * Small unconstrained optimiser: limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4/7.5)
 * with a strong-Wolfe line search (Alg. 3.5/3.6, cubic interpolation), plus a
 * finite-difference gradient helper for tests. Pure, allocation-light, no dependencies.
 */

/**
 * Objective with analytic gradient: returns f(x) and writes ∇f(x) into `grad` (same length as x).
 * May return a non-finite value (e.g. outside the feasible region); the line search then backtracks.
 */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** L-BFGS options. */
export interface LbfgsOptions {
  /** Maximum number of iterations (default 500). */
  maxIterations?: number;
  /** Number of correction pairs kept (default 10). */
  memory?: number;
  /** Stop when ‖∇f‖∞ ≤ this (default 1e-6). */
  gradientTolerance?: number;
  /** Stop when the relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this (default 1e-12). */
  functionTolerance?: number;
  /** Armijo sufficient-decrease constant c1 (default 1e-4). */
  c1?: number;
  /** Strong-Wolfe curvature constant c2 (default 0.9). */
  c2?: number;
  /** Maximum objective evaluations per line search (default 40). */
  maxLineSearchEvaluations?: number;
}

/** Why the optimiser stopped. */
export type LbfgsStopReason = 'gradient' | 'function' | 'maxIterations' | 'lineSearch';

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** Best point found. */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** ∇f(x). */
  gradient: Float64Array;
  /** ‖∇f(x)‖∞. */
  gradientNorm: number;
  /** Iterations performed. */
  iterations: number;
  /** Objective/gradient evaluations performed. */
  evaluations: number;
  /** True when stopped by the gradient or function tolerance. */
  converged: boolean;
  /** Stop reason. */
  reason: LbfgsStopReason;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** Minimiser of the cubic interpolating (a, fa, ga) and (b, fb, gb), or NaN if it does not exist. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}

/**
 * Minimises a smooth function with L-BFGS and a strong-Wolfe line search.
 * Never throws on numerical trouble; inspect `converged` / `reason`.
 */
export function minimizeLbfgs(
  fg: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options: LbfgsOptions = {},
): LbfgsResult {
  const n = x0.length;
  const maxIter = options.maxIterations ?? 500;
  const m = Math.max(1, options.memory ?? 10);
  const gtol = options.gradientTolerance ?? 1e-6;
  const ftol = options.functionTolerance ?? 1e-12;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxLs = options.maxLineSearchEvaluations ?? 40;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let evaluations = 1;
  let f = fg(x, g);

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rhoHist: number[] = [];
  const alphaTmp = new Float64Array(m);
  const d = new Float64Array(n);
  // Trial buffers (swapped with x/g on acceptance).
  let xt = new Float64Array(n);
  let gt = new Float64Array(n);

  const result = (reason: LbfgsStopReason, iterations: number): LbfgsResult => ({
    x,
    value: f,
    gradient: g,
    gradientNorm: normInf(g),
    iterations,
    evaluations,
    converged: reason === 'gradient' || reason === 'function',
    reason,
  });

  if (!Number.isFinite(f)) return result('lineSearch', 0);
  if (normInf(g) <= gtol) return result('gradient', 0);

  for (let iter = 1; iter <= maxIter; iter++) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rhoHist[j]! * dot(S[j]!, d);
      alphaTmp[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < n; i++) d[i] = d[i]! - a * y[i]!;
    }
    if (k > 0) {
      const yy = dot(Y[k - 1]!, Y[k - 1]!);
      const gamma = 1 / (rhoHist[k - 1]! * yy);
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    }
    for (let j = 0; j < k; j++) {
      const b = rhoHist[j]! * dot(Y[j]!, d);
      const s = S[j]!;
      const coef = alphaTmp[j]! - b;
      for (let i = 0; i < n; i++) d[i] = d[i]! + coef * s[i]!;
    }
    let dphi0 = dot(g, d);
    if (!(dphi0 < 0)) {
      // Not a descent direction (numerical trouble): restart with steepest descent.
      S.length = 0;
      Y.length = 0;
      rhoHist.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dphi0 = dot(g, d);
    }
    const dNorm = normInf(d);
    const initialStep = k === 0 ? Math.min(1, 1 / Math.max(dNorm, 1e-300)) : 1;

    // ---- strong-Wolfe line search ----
    const f0 = f;
    let evalsLs = 0;
    let tF = NaN;
    let tD = NaN;
    const evalAt = (alpha: number): void => {
      for (let i = 0; i < n; i++) xt[i] = x[i]! + alpha * d[i]!;
      tF = fg(xt, gt);
      tD = Number.isFinite(tF) ? dot(gt, d) : NaN;
      evaluations++;
      evalsLs++;
    };
    let accepted = false;
    let acceptedAlpha = 0;
    // Best Armijo point seen, as a fallback.
    let bestAlpha = 0;
    let bestF = f0;
    const consider = (alpha: number): void => {
      if (Number.isFinite(tF) && tF < bestF && tF <= f0 + c1 * alpha * dphi0) {
        bestF = tF;
        bestAlpha = alpha;
      }
    };

    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dphi0;
    let alpha = initialStep;
    let lo = NaN;
    let hi = NaN;
    let fLo = NaN;
    let dLo = NaN;
    let fHi = NaN;
    let dHi = NaN;
    let needZoom = false;
    while (evalsLs < maxLs) {
      evalAt(alpha);
      if (!Number.isFinite(tF)) {
        // Infeasible: shrink towards the last good point.
        alpha = aPrev + (alpha - aPrev) * 0.25;
        continue;
      }
      consider(alpha);
      if (tF > f0 + c1 * alpha * dphi0 || (aPrev > 0 && tF >= fPrev)) {
        lo = aPrev;
        fLo = fPrev;
        dLo = dPrev;
        hi = alpha;
        fHi = tF;
        dHi = tD;
        needZoom = true;
        break;
      }
      if (Math.abs(tD) <= -c2 * dphi0) {
        accepted = true;
        acceptedAlpha = alpha;
        break;
      }
      if (tD >= 0) {
        lo = alpha;
        fLo = tF;
        dLo = tD;
        hi = aPrev;
        fHi = fPrev;
        dHi = dPrev;
        needZoom = true;
        break;
      }
      aPrev = alpha;
      fPrev = tF;
      dPrev = tD;
      alpha = alpha * 4;
    }
    if (needZoom) {
      while (evalsLs < maxLs) {
        const left = Math.min(lo, hi);
        const right = Math.max(lo, hi);
        const width = right - left;
        let a = Number.isFinite(fHi) ? cubicMin(lo, fLo, dLo, hi, fHi, dHi) : NaN;
        if (!(a > left + 0.1 * width && a < right - 0.1 * width)) a = 0.5 * (lo + hi);
        evalAt(a);
        if (!Number.isFinite(tF)) {
          hi = a;
          fHi = NaN;
          dHi = NaN;
          continue;
        }
        consider(a);
        if (tF > f0 + c1 * a * dphi0 || tF >= fLo) {
          hi = a;
          fHi = tF;
          dHi = tD;
        } else {
          if (Math.abs(tD) <= -c2 * dphi0) {
            accepted = true;
            acceptedAlpha = a;
            break;
          }
          if (tD * (hi - lo) >= 0) {
            hi = lo;
            fHi = fLo;
            dHi = dLo;
          }
          lo = a;
          fLo = tF;
          dLo = tD;
        }
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
      }
    }
    if (!accepted) {
      if (bestAlpha > 0) {
        evalAt(bestAlpha);
        acceptedAlpha = bestAlpha;
      } else if (S.length > 0) {
        // Quasi-Newton direction failed: drop the memory and retry with steepest descent.
        S.length = 0;
        Y.length = 0;
        rhoHist.length = 0;
        continue;
      } else {
        return result('lineSearch', iter);
      }
    }
    // Accept xt/gt.
    const sNew = new Float64Array(n);
    const yNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sNew[i] = acceptedAlpha * d[i]!;
      yNew[i] = gt[i]! - g[i]!;
    }
    const fNew = tF;
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    f = fNew;

    const sy = dot(sNew, yNew);
    if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rhoHist.shift();
      }
      S.push(sNew);
      Y.push(yNew);
      rhoHist.push(1 / sy);
    }

    if (normInf(g) <= gtol) return result('gradient', iter);
    if ((f0 - f) / Math.max(Math.abs(f0), Math.abs(f), 1) <= ftol) return result('function', iter);
    if (iter === maxIter) return result('maxIterations', iter);
  }
  return result('maxIterations', maxIter);
}

/** Central finite-difference gradient of `f` at `x` with step `h` (default 1e-6). For testing analytic gradients. */
export function numericalGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  const xx = Float64Array.from(x);
  const out = new Float64Array(xx.length);
  for (let i = 0; i < xx.length; i++) {
    const v = xx[i]!;
    xx[i] = v + h;
    const fp = f(xx);
    xx[i] = v - h;
    const fm = f(xx);
    xx[i] = v;
    out[i] = (fp - fm) / (2 * h);
  }
  return out;
}

/**
 * Largest absolute difference between the analytic gradient of `fg` and a central
 * finite-difference gradient at `x` (step `h`, default 1e-6). For tests.
 */
export function gradientCheck(fg: ObjectiveWithGradient, x: ArrayLike<number>, h = 1e-6): number {
  const xx = Float64Array.from(x);
  const g = new Float64Array(xx.length);
  fg(xx, g);
  const scratch = new Float64Array(xx.length);
  const num = numericalGradient((z) => fg(z, scratch), xx, h);
  let worst = 0;
  for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - num[i]!));
  return worst;
}
