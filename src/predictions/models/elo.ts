/**
 * World-Football-Elo-style ratings (eloratings.net): home advantage in the expected score and a
 * goal-difference multiplier on K, updated match by match; plus a calibrated mapping from the
 * pre-match rating gap to 1X2 probabilities (ordered logit fitted on the historical gaps).
 */
import { fitOrderedLogit, orderedLogitProbabilities, type OrderedLogit } from './ordered-logit';
import {
  outcomeOf,
  sortedMatchesBefore,
  toEpochDays,
  type DateLike,
  type MatchResult,
  type Probabilities1x2,
} from './types';

/** Elo rating-system options. */
export interface EloOptions {
  /** K factor in rating points per unit of score surprise (default 20). */
  k?: number;
  /** Home advantage added to the home rating in the expected score (rating points, default 65). */
  homeAdvantage?: number;
  /** Rating of a team first seen while the league is still forming (default 1500). */
  initialRating?: number;
  /** Apply the goal-difference multiplier G (default true). */
  goalDifference?: boolean;
  /** Newcomer rating after the league has formed: a number, or 'weakest' (default) = mean of the `weakestCount` lowest active ratings. */
  newcomerRating?: number | 'weakest';
  /** Number of weakest active teams averaged for newcomers (default 3). */
  weakestCount?: number;
  /** A team counts as active if it played within this many days (default 400). */
  activeDays?: number;
  /** Matches processed before the league counts as formed (default 200); earlier newcomers get `initialRating`. */
  formedAfterMatches?: number;
}

/** Expected score (win = 1, draw = ½) of a side rated `diff` points above its opponent: 1/(1 + 10^(−diff/400)). */
export function eloExpectedScore(diff: number): number {
  return 1 / (1 + Math.pow(10, -diff / 400));
}

/** World Football Elo goal-difference multiplier: 1 for 0–1 goals, 1.5 for 2, (11 + N)/8 for N ≥ 3. */
export function goalDifferenceMultiplier(goalDiff: number): number {
  const n = Math.abs(goalDiff);
  if (n <= 1) return 1;
  if (n === 2) return 1.5;
  return (11 + n) / 8;
}

/** Result of one rating update. */
export interface EloUpdate {
  /** New home rating. */
  home: number;
  /** New away rating. */
  away: number;
  /** Pre-match expected score of the home side (home advantage included). */
  expectedHome: number;
  /** Points transferred to the home side (negative = to the away side). */
  change: number;
}

/** One zero-sum Elo update: change = K·G·(W − We), W = 1/½/0 for a home win/draw/loss. */
export function eloUpdate(
  homeRating: number,
  awayRating: number,
  homeGoals: number,
  awayGoals: number,
  options: Pick<EloOptions, 'k' | 'homeAdvantage' | 'goalDifference'> = {},
): EloUpdate {
  const k = options.k ?? 20;
  const h = options.homeAdvantage ?? 65;
  const expectedHome = eloExpectedScore(homeRating + h - awayRating);
  const w = homeGoals > awayGoals ? 1 : homeGoals === awayGoals ? 0.5 : 0;
  const g = options.goalDifference === false ? 1 : goalDifferenceMultiplier(homeGoals - awayGoals);
  const change = k * g * (w - expectedHome);
  return { home: homeRating + change, away: awayRating - change, expectedHome, change };
}

/** What one processed match looked like before the update. */
export interface EloStep {
  /** The match. */
  match: MatchResult;
  /** Home rating before the match. */
  homeBefore: number;
  /** Away rating before the match. */
  awayBefore: number;
  /** Pre-match gap homeBefore + homeAdvantage − awayBefore (rating points). */
  gap: number;
  /** Pre-match expected home score. */
  expectedHome: number;
}

/** Mutable Elo state: feed matches in date order with {@link EloRatings.process}. */
export class EloRatings {
  /** Current rating per team. */
  readonly ratings = new Map<string, number>();
  private readonly lastPlayed = new Map<string, number>();
  private processed = 0;
  private readonly opts: Required<EloOptions>;

  constructor(options: EloOptions = {}) {
    this.opts = {
      k: options.k ?? 20,
      homeAdvantage: options.homeAdvantage ?? 65,
      initialRating: options.initialRating ?? 1500,
      goalDifference: options.goalDifference ?? true,
      newcomerRating: options.newcomerRating ?? 'weakest',
      weakestCount: options.weakestCount ?? 3,
      activeDays: options.activeDays ?? 400,
      formedAfterMatches: options.formedAfterMatches ?? 200,
    };
  }

  /** Home advantage in rating points. */
  get homeAdvantage(): number {
    return this.opts.homeAdvantage;
  }

  /** Rating a team without history would get if it played on `date` (epoch days or Date). */
  newcomerRating(date: DateLike): number {
    const o = this.opts;
    if (this.processed < o.formedAfterMatches) return o.initialRating;
    if (typeof o.newcomerRating === 'number') return o.newcomerRating;
    const t = toEpochDays(date);
    const active: number[] = [];
    for (const [team, r] of this.ratings) {
      const last = this.lastPlayed.get(team);
      if (last !== undefined && t - last <= o.activeDays) active.push(r);
    }
    if (active.length === 0) return o.initialRating;
    active.sort((a, b) => a - b);
    const pick = active.slice(0, Math.min(o.weakestCount, active.length));
    return pick.reduce((s, r) => s + r, 0) / pick.length;
  }

  /** A team's current rating, or the newcomer rating as of `date` if unknown. */
  rating(team: string, date: DateLike): number {
    return this.ratings.get(team) ?? this.newcomerRating(date);
  }

  /** Applies one match (must not be earlier than previously processed ones) and returns its pre-match state. */
  process(match: MatchResult): EloStep {
    const t = toEpochDays(match.date);
    const homeBefore = this.rating(match.home, t);
    const awayBefore = this.rating(match.away, t);
    const u = eloUpdate(homeBefore, awayBefore, match.homeGoals, match.awayGoals, this.opts);
    this.ratings.set(match.home, u.home);
    this.ratings.set(match.away, u.away);
    this.lastPlayed.set(match.home, t);
    this.lastPlayed.set(match.away, t);
    this.processed++;
    return {
      match,
      homeBefore,
      awayBefore,
      gap: homeBefore + this.opts.homeAdvantage - awayBefore,
      expectedHome: u.expectedHome,
    };
  }
}

/** Runs Elo over the matches (sorted by date first; invalid rows skipped), returning the state and per-match steps. */
export function runElo(
  matches: readonly MatchResult[],
  options: EloOptions = {},
): { state: EloRatings; steps: EloStep[] } {
  const state = new EloRatings(options);
  const steps = sortedMatchesBefore(matches).map((m) => state.process(m));
  return { state, steps };
}

/** Options for {@link fitEloModel}. */
export interface EloModelOptions extends EloOptions {
  /** Fit date: ratings and mapping use matches strictly before it. */
  asOf: DateLike;
  /** Matches skipped at the start before gaps are used to fit the mapping (default 380). */
  burnInMatches?: number;
  /** Time decay ξ per day for the mapping fit weights (default 0.0018; 0 = equal weights). */
  mappingXi?: number;
  /** Mapping observations with a time weight below this are left out (default 0 = keep all); speeds up refits. */
  mappingMinWeight?: number;
}

/** Elo ratings plus a fitted gap → 1X2 mapping. */
export interface EloModel {
  /** Fit date (epoch days). */
  asOf: number;
  /** Rating state after all matches before `asOf`. */
  state: EloRatings;
  /** Fitted gap → 1X2 ordered-logit mapping (slope per rating point). */
  mapping: OrderedLogit;
  /** Pre-match gap (rating points; home advantage included unless neutral). */
  gap(home: string, away: string, options?: { neutral?: boolean }): number;
  /** Calibrated 1X2 probabilities; unknown teams get the newcomer rating. `neutral` drops the home advantage from the gap (approximate: the cutpoints were fitted on home games). Never throws. */
  predict(home: string, away: string, options?: { neutral?: boolean }): Probabilities1x2;
}

/**
 * Runs Elo over matches before `asOf` and fits the ordered-logit mapping on the pre-match gaps
 * (after the burn-in), each weighted by exp(−ξ·age). The mapping is out-of-sample per match.
 */
export function fitEloModel(matches: readonly MatchResult[], options: EloModelOptions): EloModel {
  const asOf = toEpochDays(options.asOf);
  const burnIn = options.burnInMatches ?? 380;
  const xi = options.mappingXi ?? 0.0018;
  const minWeight = options.mappingMinWeight ?? 0;
  const state = new EloRatings(options);
  const steps = sortedMatchesBefore(matches, asOf).map((m) => state.process(m));
  const mapping = fitOrderedLogit(
    steps
      .slice(burnIn)
      .map((s) => ({
        x: s.gap,
        outcome: outcomeOf(s.match.homeGoals, s.match.awayGoals),
        weight: Math.exp(-xi * (asOf - toEpochDays(s.match.date))),
      }))
      .filter((o) => o.weight >= minWeight),
  );
  const gap = (home: string, away: string, o: { neutral?: boolean } = {}): number =>
    state.rating(home, asOf) + (o.neutral ? 0 : state.homeAdvantage) - state.rating(away, asOf);
  return {
    asOf,
    state,
    mapping,
    gap,
    predict: (home, away, o = {}) => orderedLogitProbabilities(mapping, gap(home, away, o)),
  };
}
