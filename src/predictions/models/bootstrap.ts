/**
 * Percentile bootstrap of a mean: how sure a backtest can be that one forecast beats another
 * when the per-match differences (of RPS, say) are resampled with replacement. Pure and
 * deterministic for a given seed.
 */

/** A mean with its bootstrap interval. */
export interface BootstrapInterval {
  mean: number;
  /** Lower and upper bounds of the central `level` interval. */
  low: number;
  high: number;
  level: number;
  resamples: number;
}

/** Options for {@link bootstrapMean}. */
export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  resamples?: number;
  /** Central coverage of the interval (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 1): the same values and seed give the same interval. */
  seed?: number;
}

// xorshift32: small, fast and seedable; statistical quality is ample for resampling indices.
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}

/** The mean of `values` and its percentile bootstrap interval. Throws RangeError without values. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): BootstrapInterval {
  const n = values.length;
  if (n === 0) throw new RangeError('bootstrapMean needs at least one value');
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const random = xorshift32(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return { mean, low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), level, resamples };
}
