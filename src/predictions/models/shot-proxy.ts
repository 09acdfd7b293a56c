/**
 * A shots-on-target "expected goals" proxy: proxy = κ·SOT, with κ the league's goals per shot on
 * target over recent matches (time-weighted ratio estimator, so the proxy has the same mean as goals).
 *
 * Why: goals are a noisy measure of how well a side played; shots on target are about three times
 * as frequent, so team strengths estimated from them settle much faster. Off-target shots were
 * tried as a second regressor: their least-squares coefficient is slightly negative (sides chasing
 * a game shoot more and worse) and adding them did not help the backtests, so they are left out.
 */
import { toEpochDays, type DateLike, type MatchResult } from './types';

/** Shot counts of one match; any may be missing (older seasons have none). */
export interface ShotCounts {
  homeShots?: number | null;
  awayShots?: number | null;
  homeShotsOnTarget?: number | null;
  awayShotsOnTarget?: number | null;
}

/** A finished match with optional shot counts. */
export type MatchWithShots = MatchResult & ShotCounts;

/** League conversion rate of shots on target into goals. */
export interface ShotConversion {
  /** κ: goals per shot on target. */
  goalsPerShotOnTarget: number;
  /** Team-matches (two per match) it was estimated from; 0 ⇒ the default. */
  count: number;
}

/** Typical top-flight conversion (≈0.3 goals per shot on target since 2010), used without data. */
export const DEFAULT_SHOT_CONVERSION: ShotConversion = { goalsPerShotOnTarget: 0.3, count: 0 };

/** Options for {@link fitShotConversion}. */
export interface ShotConversionOptions {
  /** Only matches strictly before this date are used. */
  asOf: DateLike;
  /** Time decay ξ per day of the weights (default 0.002: the rate drifts over decades as recording changes). */
  xi?: number;
}

const isCount = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * κ = Σ w·goals / Σ w·SOT over team-matches with a recorded SOT, w = exp(−ξ·age). Falls back to
 * {@link DEFAULT_SHOT_CONVERSION} with fewer than 50 such team-matches.
 */
export function fitShotConversion(matches: readonly MatchWithShots[], options: ShotConversionOptions): ShotConversion {
  const asOf = toEpochDays(options.asOf);
  const xi = options.xi ?? 0.002;
  let goals = 0;
  let shots = 0;
  let count = 0;
  for (const m of matches) {
    const t = toEpochDays(m.date);
    if (!(t < asOf)) continue;
    const w = Math.exp(-xi * (asOf - t));
    if (isCount(m.homeShotsOnTarget) && isCount(m.homeGoals)) {
      goals += w * m.homeGoals;
      shots += w * m.homeShotsOnTarget;
      count++;
    }
    if (isCount(m.awayShotsOnTarget) && isCount(m.awayGoals)) {
      goals += w * m.awayGoals;
      shots += w * m.awayShotsOnTarget;
      count++;
    }
  }
  if (count < 50 || !(shots > 0) || !(goals > 0)) return { ...DEFAULT_SHOT_CONVERSION };
  return { goalsPerShotOnTarget: goals / shots, count };
}

/**
 * The match with each side's goals replaced by (1 − blend)·goals + blend·κ·SOT. A side without a
 * recorded SOT keeps its goals, so no match is dropped. `blend` 1 (default) uses the proxy alone.
 */
export function proxyGoals(match: MatchWithShots, conversion: ShotConversion, blend = 1): MatchResult {
  const side = (goals: number, sot: number | null | undefined): number =>
    isCount(sot) ? (1 - blend) * goals + blend * conversion.goalsPerShotOnTarget * sot : goals;
  return {
    date: match.date,
    home: match.home,
    away: match.away,
    homeGoals: side(match.homeGoals, match.homeShotsOnTarget),
    awayGoals: side(match.awayGoals, match.awayShotsOnTarget),
  };
}
