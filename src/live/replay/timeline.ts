import { MatchEventType } from '../../matches/match.enums';
import type { Side } from '../../matches/match-state';

/** One event of a match's timeline, as it is sent through the ingest path. */
export interface TimelineEvent {
  /** Seconds after kick-off on the wall clock (the half-time break included). */
  at: number;
  type: MatchEventType;
  minute: number;
  side: Side | null;
  addedMinutes?: number;
  detail?: string;
}

export interface Score {
  home: number;
  away: number;
}

/** What a simulated timeline must agree with: the full-time score and, when known, the half-time one. */
export interface FinalScores {
  fullTime: Score;
  halfTime: Score | null;
}

/** A number in [0, 1), as Math.random gives. */
export type Random = () => number;

/** Minutes between the half-time and the second-half whistles. */
export const HALF_TIME_BREAK_MINUTES = 15;

/** Share of a match's goals scored before the break (about 45% in the top leagues' records). */
const FIRST_HALF_GOAL_SHARE = 0.45;

/** Small, seedable PRNG (mulberry32): a replay with `--seed` draws the same timeline again. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The wall-clock offset of each event from its minute: the first half runs from kick-off, the
 * second from the second-half whistle, which comes a break after half time. Minutes count on
 * in stoppage time, so an event's offset never goes back.
 */
export function onWallClock(events: readonly Omit<TimelineEvent, 'at'>[]): TimelineEvent[] {
  let secondHalf: { at: number; minute: number } | null = null;
  let halfTimeAt = 0;
  let last = 0;
  return events.map((event) => {
    let at: number;
    if (event.type === MatchEventType.SECOND_HALF) {
      at = halfTimeAt + HALF_TIME_BREAK_MINUTES * 60;
      secondHalf = { at, minute: event.minute };
    } else if (secondHalf) {
      at = secondHalf.at + (event.minute - secondHalf.minute) * 60;
    } else {
      at = event.minute * 60;
    }
    at = Math.max(at, last);
    if (event.type === MatchEventType.HALF_TIME) halfTimeAt = at;
    last = at;
    return { ...event, at };
  });
}

/**
 * A timeline drawn at random that ends in `scores`: kick-off, goals (some from penalties, some
 * own goals) in the half the half-time score puts them, cards, substitutions, announced added
 * time, the whistles. Events of one minute keep the order a match allows.
 */
export function simulateTimeline(scores: FinalScores, random: Random = Math.random): TimelineEvent[] {
  checkScores(scores);
  const halfTime = scores.halfTime ?? splitAtHalfTime(scores.fullTime, random);
  const firstAdded = 1 + Math.floor(random() * 4);
  const secondAdded = 2 + Math.floor(random() * 5);
  const firstHalf = drawHalf(halfTime, { from: 1, to: 45, added: firstAdded }, random);
  const secondGoals = { home: scores.fullTime.home - halfTime.home, away: scores.fullTime.away - halfTime.away };
  const secondHalf = drawHalf(secondGoals, { from: 46, to: 90, added: secondAdded }, random, true);
  return onWallClock([
    { type: MatchEventType.KICK_OFF, minute: 0, side: null },
    ...firstHalf,
    { type: MatchEventType.HALF_TIME, minute: 45 + firstAdded, side: null },
    { type: MatchEventType.SECOND_HALF, minute: 46, side: null },
    ...secondHalf,
    { type: MatchEventType.FULL_TIME, minute: 90 + secondAdded, side: null },
  ]);
}

/** A plausible score for a demo match: Poisson goals at the top leagues' average rates. */
export function drawScores(random: Random = Math.random): FinalScores {
  const fullTime = { home: poisson(1.5, random), away: poisson(1.2, random) };
  return { fullTime, halfTime: splitAtHalfTime(fullTime, random) };
}

function checkScores({ fullTime, halfTime }: FinalScores): void {
  const goals = [fullTime.home, fullTime.away, halfTime?.home ?? 0, halfTime?.away ?? 0];
  if (!goals.every((g) => Number.isInteger(g) && g >= 0 && g <= 30)) {
    throw new RangeError(`scores must be whole numbers from 0 to 30 (got ${JSON.stringify({ fullTime, halfTime })})`);
  }
  if (halfTime && (halfTime.home > fullTime.home || halfTime.away > fullTime.away)) {
    throw new RangeError(
      `the half-time score ${halfTime.home}-${halfTime.away} is above the full-time score ${fullTime.home}-${fullTime.away}`,
    );
  }
}

function splitAtHalfTime(fullTime: Score, random: Random): Score {
  const firstHalf = (goals: number) => Array.from({ length: goals }).filter(() => random() < FIRST_HALF_GOAL_SHARE);
  return { home: firstHalf(fullTime.home).length, away: firstHalf(fullTime.away).length };
}

interface HalfSpan {
  from: number;
  to: number;
  added: number;
}

type Untimed = Omit<TimelineEvent, 'at'>;

function drawHalf(goals: Score, span: HalfSpan, random: Random, substitutions = false): Untimed[] {
  const minuteIn = (from = span.from, to = span.to + span.added) => from + Math.floor(random() * (to - from + 1));
  // Each entry is a group of events that happen together, placed at one minute.
  const groups: { minute: number; events: Untimed[] }[] = [];
  const at = (minute: number, ...events: Omit<Untimed, 'minute'>[]) =>
    groups.push({ minute, events: events.map((e) => ({ ...e, minute })) });
  for (const side of ['home', 'away'] as const) {
    for (let i = 0; i < goals[side]; i += 1) at(minuteIn(), ...goalEvents(side, random));
  }
  const sideAtRandom = (): Side => (random() < 0.5 ? 'home' : 'away');
  for (let i = poisson(1.8, random); i > 0; i -= 1) {
    at(minuteIn(), { type: MatchEventType.YELLOW_CARD, side: sideAtRandom() });
  }
  if (random() < 0.05) at(minuteIn(), { type: MatchEventType.RED_CARD, side: sideAtRandom() });
  if (random() < 0.08) {
    const side = sideAtRandom();
    at(
      minuteIn(),
      { type: MatchEventType.PENALTY_AWARDED, side },
      { type: MatchEventType.PENALTY_MISSED, side, detail: 'saved' },
    );
  }
  if (random() < 0.15) {
    at(minuteIn(), { type: MatchEventType.VAR_REVIEW, side: null, detail: 'no penalty: decision stands' });
  }
  if (substitutions) {
    for (const side of ['home', 'away'] as const) {
      for (let i = 0; i < 3; i += 1) at(minuteIn(55, 88), { type: MatchEventType.SUBSTITUTION, side });
    }
  }
  // Added time is announced at the end of normal time; play in stoppage comes after it.
  at(span.to, { type: MatchEventType.ADDED_TIME, side: null, addedMinutes: span.added });
  return groups
    .map((group, order) => ({ ...group, order: group.events[0]!.type === MatchEventType.ADDED_TIME ? -1 : order }))
    .sort((a, b) => a.minute - b.minute || a.order - b.order)
    .flatMap((group) => group.events);
}

function goalEvents(side: Side, random: Random): Omit<Untimed, 'minute'>[] {
  const kind = random();
  if (kind < 0.1) {
    return [
      { type: MatchEventType.PENALTY_AWARDED, side },
      { type: MatchEventType.PENALTY_GOAL, side },
    ];
  }
  // OWN_GOAL names the side credited with it.
  if (kind < 0.13) return [{ type: MatchEventType.OWN_GOAL, side }];
  return [{ type: MatchEventType.GOAL, side }];
}

// Knuth's method: fine for the small means of football.
function poisson(mean: number, random: Random): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k += 1;
  return k;
}

/** A stored event as a replay reads it. */
export interface RecordedTimelineEvent extends Omit<TimelineEvent, 'at'> {
  cancelled: boolean;
}

/** A finished match's stored events, in the order recorded, without the cancelled ones. */
export function recordedTimeline(events: readonly RecordedTimelineEvent[]): TimelineEvent[] {
  return onWallClock(events.filter((e) => !e.cancelled).map(({ cancelled: _, ...event }) => event));
}
