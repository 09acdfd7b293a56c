/**
 * Shared input/output types for the prediction models. Pure types and tiny helpers, no I/O.
 */

/** Milliseconds per day (86 400 000). */
export const MS_PER_DAY = 86_400_000;

/** A point in time: a `Date`, or a number of (possibly fractional) days since 1970-01-01T00:00Z ("epoch days"). */
export type DateLike = Date | number;

/** One finished match. Goals are full-time goals (90 minutes plus stoppage, no extra time / penalties). */
export interface MatchResult {
  /** Kick-off date as a `Date` or epoch days. */
  date: DateLike;
  /** Home team identifier (any stable string; compared exactly). */
  home: string;
  /** Away team identifier. */
  away: string;
  /** Full-time home goals (non-negative integer). */
  homeGoals: number;
  /** Full-time away goals (non-negative integer). */
  awayGoals: number;
}

/** 1X2 probabilities; each in [0, 1] and summing to 1 (within floating-point error). */
export interface Probabilities1x2 {
  /** Probability of a home win. */
  home: number;
  /** Probability of a draw. */
  draw: number;
  /** Probability of an away win. */
  away: number;
}

/** A 1X2 outcome label. Ordered home < draw < away for ranked scores. */
export type Outcome1x2 = 'home' | 'draw' | 'away';

/** The three outcomes in their canonical (ranked) order. */
export const OUTCOMES_1X2: readonly Outcome1x2[] = ['home', 'draw', 'away'];

/** Converts a `DateLike` to epoch days (fractional days since 1970-01-01T00:00Z). */
export function toEpochDays(date: DateLike): number {
  return typeof date === 'number' ? date : date.getTime() / MS_PER_DAY;
}

/** The 1X2 outcome of a score line. */
export function outcomeOf(homeGoals: number, awayGoals: number): Outcome1x2 {
  if (homeGoals > awayGoals) return 'home';
  if (homeGoals < awayGoals) return 'away';
  return 'draw';
}

/** Index of an outcome in canonical order: home 0, draw 1, away 2. */
export function outcomeIndex(outcome: Outcome1x2): 0 | 1 | 2 {
  return outcome === 'home' ? 0 : outcome === 'draw' ? 1 : 2;
}

/** 1X2 probabilities as a `[home, draw, away]` tuple. */
export function toArray1x2(p: Probabilities1x2): [number, number, number] {
  return [p.home, p.draw, p.away];
}

/** Builds 1X2 probabilities from a `[home, draw, away]` array (no renormalisation). */
export function fromArray1x2(a: ArrayLike<number>): Probabilities1x2 {
  return { home: a[0]!, draw: a[1]!, away: a[2]! };
}

/** Rescales non-negative 1X2 weights to sum to 1; uniform if the sum is not positive/finite. */
export function normalise1x2(p: Probabilities1x2): Probabilities1x2 {
  const s = p.home + p.draw + p.away;
  if (!(s > 0) || !Number.isFinite(s)) return { home: 1 / 3, draw: 1 / 3, away: 1 / 3 };
  return { home: p.home / s, draw: p.draw / s, away: p.away / s };
}

/**
 * Valid matches (non-negative integer goals, distinct teams) strictly before `asOf` (epoch days; all if
 * undefined), sorted by date with ties kept in input order.
 */
export function sortedMatchesBefore(matches: readonly MatchResult[], asOf?: number): MatchResult[] {
  return matches
    .filter(
      (m) =>
        (asOf === undefined || toEpochDays(m.date) < asOf) &&
        Number.isInteger(m.homeGoals) &&
        Number.isInteger(m.awayGoals) &&
        m.homeGoals >= 0 &&
        m.awayGoals >= 0 &&
        m.home !== m.away,
    )
    .map((m, i) => ({ m, i, t: toEpochDays(m.date) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.m);
}
