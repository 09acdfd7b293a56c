/**
 * Pi-ratings (Constantinou & Fenton 2013, J. Quant. Anal. Sports 9(1)): each team has a home and an
 * away rating on a log-goal-difference scale, updated from the discrepancy between the observed and
 * the expected goal difference. Plus a calibrated ordered-logit mapping from the expected goal
 * difference to 1X2 probabilities (fitted on history), since the paper's own mapping is not a formula.
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

/** Pi-rating options; defaults are the paper's optimised values. */
export interface PiRatingOptions {
  /** Learning rate λ for the venue played (default 0.035). */
  lambda?: number;
  /** Cross-venue learning rate γ: share of the update copied to the other venue rating (default 0.7). */
  gamma?: number;
  /** Logarithm base b (default 10). */
  b?: number;
  /** Scale c (goals of difference per rating unit, default 3). */
  c?: number;
  /** Newcomer ratings after the league has formed: explicit, or 'weakest' (default) = mean of the `weakestCount` weakest active teams. */
  newcomer?: PiTeamRating | 'weakest';
  /** Number of weakest active teams averaged for newcomers (default 3). */
  weakestCount?: number;
  /** A team is active if it played within this many days (default 400). */
  activeDays?: number;
  /** Matches processed before the league counts as formed (default 200); earlier newcomers start at 0/0. */
  formedAfterMatches?: number;
}

/** A team's pi-ratings. */
export interface PiTeamRating {
  /** Rating when playing at home. */
  home: number;
  /** Rating when playing away. */
  away: number;
}

/** Expected goal difference against an average opponent for rating r: sign(r)·(b^{|r|/c} − 1). */
export function piExpectedGoalDifference(rating: number, b = 10, c = 3): number {
  const v = Math.pow(b, Math.abs(rating) / c) - 1;
  return rating < 0 ? -v : v;
}

/** Result of one pi-rating update. */
export interface PiUpdate {
  /** Home team's new ratings. */
  home: PiTeamRating;
  /** Away team's new ratings. */
  away: PiTeamRating;
  /** Pre-match expected goal difference (home − away), goals. */
  expectedGoalDifference: number;
  /** Absolute prediction error |observed − expected| (goals). */
  error: number;
}

/**
 * One pi-rating update: e = |gD − ĝD|, ψ = c·log10(1 + e) signed towards the side that did better than
 * expected; the venue rating moves by ψ·λ and the other venue rating by ψ·λ·γ.
 */
export function piUpdate(
  home: PiTeamRating,
  away: PiTeamRating,
  homeGoals: number,
  awayGoals: number,
  options: Pick<PiRatingOptions, 'lambda' | 'gamma' | 'b' | 'c'> = {},
): PiUpdate {
  const lambda = options.lambda ?? 0.035;
  const gamma = options.gamma ?? 0.7;
  const b = options.b ?? 10;
  const c = options.c ?? 3;
  const expected = piExpectedGoalDifference(home.home, b, c) - piExpectedGoalDifference(away.away, b, c);
  const observed = homeGoals - awayGoals;
  const error = Math.abs(observed - expected);
  const psi = c * Math.log10(1 + error);
  const psiHome = expected < observed ? psi : -psi;
  const psiAway = -psiHome;
  return {
    home: { home: home.home + psiHome * lambda, away: home.away + psiHome * lambda * gamma },
    away: { away: away.away + psiAway * lambda, home: away.home + psiAway * lambda * gamma },
    expectedGoalDifference: expected,
    error,
  };
}

/** Pre-match state of one processed match. */
export interface PiStep {
  /** The match. */
  match: MatchResult;
  /** Home team's ratings before the match. */
  homeBefore: PiTeamRating;
  /** Away team's ratings before the match. */
  awayBefore: PiTeamRating;
  /** Pre-match expected goal difference (home − away). */
  expectedGoalDifference: number;
}

/** Mutable pi-rating state: feed matches in date order with {@link PiRatings.process}. */
export class PiRatings {
  /** Current ratings per team. */
  readonly ratings = new Map<string, PiTeamRating>();
  private readonly lastPlayed = new Map<string, number>();
  private processed = 0;
  private readonly opts: Required<PiRatingOptions>;

  constructor(options: PiRatingOptions = {}) {
    this.opts = {
      lambda: options.lambda ?? 0.035,
      gamma: options.gamma ?? 0.7,
      b: options.b ?? 10,
      c: options.c ?? 3,
      newcomer: options.newcomer ?? 'weakest',
      weakestCount: options.weakestCount ?? 3,
      activeDays: options.activeDays ?? 400,
      formedAfterMatches: options.formedAfterMatches ?? 200,
    };
  }

  /** Ratings a team without history would get on `date`. */
  newcomerRating(date: DateLike): PiTeamRating {
    const o = this.opts;
    if (this.processed < o.formedAfterMatches) return { home: 0, away: 0 };
    if (o.newcomer !== 'weakest') return { ...o.newcomer };
    const t = toEpochDays(date);
    const active: PiTeamRating[] = [];
    for (const [team, r] of this.ratings) {
      const last = this.lastPlayed.get(team);
      if (last !== undefined && t - last <= o.activeDays) active.push(r);
    }
    if (active.length === 0) return { home: 0, away: 0 };
    active.sort((x, y) => x.home + x.away - (y.home + y.away));
    const pick = active.slice(0, Math.min(o.weakestCount, active.length));
    return {
      home: pick.reduce((s, r) => s + r.home, 0) / pick.length,
      away: pick.reduce((s, r) => s + r.away, 0) / pick.length,
    };
  }

  /** A team's ratings, or the newcomer ratings as of `date` if unknown. */
  rating(team: string, date: DateLike): PiTeamRating {
    return this.ratings.get(team) ?? this.newcomerRating(date);
  }

  /** Expected goal difference (home − away) for a match on `date`. */
  expectedGoalDifference(home: string, away: string, date: DateLike): number {
    const { b, c } = this.opts;
    return (
      piExpectedGoalDifference(this.rating(home, date).home, b, c) -
      piExpectedGoalDifference(this.rating(away, date).away, b, c)
    );
  }

  /** Applies one match and returns its pre-match state. */
  process(match: MatchResult): PiStep {
    const t = toEpochDays(match.date);
    const homeBefore = this.rating(match.home, t);
    const awayBefore = this.rating(match.away, t);
    const u = piUpdate(homeBefore, awayBefore, match.homeGoals, match.awayGoals, this.opts);
    this.ratings.set(match.home, u.home);
    this.ratings.set(match.away, u.away);
    this.lastPlayed.set(match.home, t);
    this.lastPlayed.set(match.away, t);
    this.processed++;
    return { match, homeBefore, awayBefore, expectedGoalDifference: u.expectedGoalDifference };
  }
}

/** Options for {@link fitPiModel}. */
export interface PiModelOptions extends PiRatingOptions {
  /** Fit date: ratings and mapping use matches strictly before it. */
  asOf: DateLike;
  /** Matches skipped before expected goal differences are used to fit the mapping (default 380). */
  burnInMatches?: number;
  /** Time decay ξ per day for the mapping weights (default 0.0018; 0 = equal weights). */
  mappingXi?: number;
  /** Mapping observations with a time weight below this are left out (default 0 = keep all); speeds up refits. */
  mappingMinWeight?: number;
}

/** Pi-ratings plus a fitted expected-goal-difference → 1X2 mapping. */
export interface PiModel {
  /** Fit date (epoch days). */
  asOf: number;
  /** Rating state after all matches before `asOf`. */
  state: PiRatings;
  /** Fitted ordered-logit mapping (slope per goal of expected difference). */
  mapping: OrderedLogit;
  /** Expected goal difference home − away (goals). */
  expectedGoalDifference(home: string, away: string): number;
  /** Calibrated 1X2 probabilities (home team's home rating v away team's away rating; no neutral-venue mode). Unknown teams get newcomer ratings. Never throws. */
  predict(home: string, away: string): Probabilities1x2;
}

/** Runs pi-ratings over matches before `asOf` and fits the mapping on pre-match expected goal differences. */
export function fitPiModel(matches: readonly MatchResult[], options: PiModelOptions): PiModel {
  const asOf = toEpochDays(options.asOf);
  const burnIn = options.burnInMatches ?? 380;
  const xi = options.mappingXi ?? 0.0018;
  const minWeight = options.mappingMinWeight ?? 0;
  const state = new PiRatings(options);
  const steps = sortedMatchesBefore(matches, asOf).map((m) => state.process(m));
  const mapping = fitOrderedLogit(
    steps
      .slice(burnIn)
      .map((s) => ({
        x: s.expectedGoalDifference,
        outcome: outcomeOf(s.match.homeGoals, s.match.awayGoals),
        weight: Math.exp(-xi * (asOf - toEpochDays(s.match.date))),
      }))
      .filter((o) => o.weight >= minWeight),
  );
  const egd = (home: string, away: string): number => state.expectedGoalDifference(home, away, asOf);
  return {
    asOf,
    state,
    mapping,
    expectedGoalDifference: egd,
    predict: (home, away) => orderedLogitProbabilities(mapping, egd(home, away)),
  };
}

/** Runs pi-ratings over all matches (sorted by date; invalid rows skipped). */
export function runPiRatings(
  matches: readonly MatchResult[],
  options: PiRatingOptions = {},
): { state: PiRatings; steps: PiStep[] } {
  const state = new PiRatings(options);
  const steps = sortedMatchesBefore(matches).map((m) => state.process(m));
  return { state, steps };
}
