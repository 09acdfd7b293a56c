import { BadUserInputError, InvalidStateError, OutOfOrderError } from '../errors';
import { MatchEventType, MatchStatus } from './match.enums';

export interface MatchState {
  status: MatchStatus;
  minute: number | null;
  homeGoals: number | null;
  awayGoals: number | null;
  halfTimeHomeGoals: number | null;
  halfTimeAwayGoals: number | null;
  homeShootoutGoals: number | null;
  awayShootoutGoals: number | null;
}

export type Side = 'home' | 'away';

const STATE_KEYS = [
  'status',
  'minute',
  'homeGoals',
  'awayGoals',
  'halfTimeHomeGoals',
  'halfTimeAwayGoals',
  'homeShootoutGoals',
  'awayShootoutGoals',
] as const;

/** The event-driven part of a match (missing values read as null). */
export function stateOf(match: { [K in keyof MatchState]?: MatchState[K] | undefined }): MatchState {
  return Object.fromEntries(STATE_KEYS.map((key) => [key, match[key] ?? null])) as unknown as MatchState;
}

export interface IncomingEvent {
  type: MatchEventType;
  minute: number;
  /** Side of the team the event names, or null when it names none. */
  side: Side | null;
  /** Minutes of stoppage an ADDED_TIME event announces. */
  addedMinutes?: number | null;
}

const SCORING = new Set([MatchEventType.GOAL, MatchEventType.OWN_GOAL, MatchEventType.PENALTY_GOAL]);

/** Events that send a player off: the in-play model counts them. */
export const SENDING_OFF = new Set([MatchEventType.RED_CARD, MatchEventType.SECOND_YELLOW_CARD]);

const NEEDS_TEAM = new Set([
  ...SCORING,
  ...SENDING_OFF,
  MatchEventType.YELLOW_CARD,
  MatchEventType.SUBSTITUTION,
  MatchEventType.PENALTY_AWARDED,
  MatchEventType.PENALTY_MISSED,
  MatchEventType.SHOOTOUT_GOAL,
  MatchEventType.SHOOTOUT_MISS,
]);
const IN_PLAY = new Set([MatchStatus.LIVE, MatchStatus.HALF_TIME, MatchStatus.EXTRA_TIME, MatchStatus.PENALTIES]);
/** Where the ball is in play: goals, penalties, reviews and added time happen here. */
const PLAYING = [MatchStatus.LIVE, MatchStatus.EXTRA_TIME];

/**
 * Past regular time (extra time, the shoot-out, or a match finished after either): the in-play
 * model's 90-minute markets are settled, so no in-play prediction is made from here on.
 */
export function isPastRegularTime(status: MatchStatus, eventTypes: Iterable<MatchEventType> = []): boolean {
  if (status === MatchStatus.EXTRA_TIME || status === MatchStatus.PENALTIES) return true;
  for (const type of eventTypes) if (type === MatchEventType.EXTRA_TIME_START) return true;
  return false;
}

/** Minute from which a level match may go to extra time, and from which extra time may go to penalties. */
export const EXTRA_TIME_FROM_MINUTE = 90;
export const SHOOTOUT_FROM_MINUTE = 120;

/** Events that change neither status nor score: stored and pushed; cards and subs also at half time. */
const DURING_PLAY: ReadonlyMap<MatchEventType, readonly MatchStatus[]> = new Map([
  [MatchEventType.RED_CARD, [...IN_PLAY]],
  [MatchEventType.SECOND_YELLOW_CARD, [...IN_PLAY]],
  [MatchEventType.YELLOW_CARD, [...IN_PLAY]],
  [MatchEventType.SUBSTITUTION, [...IN_PLAY]],
  [MatchEventType.PENALTY_AWARDED, PLAYING],
  [MatchEventType.PENALTY_MISSED, PLAYING],
  [MatchEventType.VAR_REVIEW, [...PLAYING, MatchStatus.PENALTIES]],
  [MatchEventType.ADDED_TIME, PLAYING],
]);

/** Most minutes an event may lie behind the match clock; further behind it is refused (OUT_OF_ORDER). */
export const MAX_MINUTES_BEHIND = 15;

/** Minutes of the first half's regular time: an event at or before it is a first-half event. */
export const FIRST_HALF_MINUTES = 45;

/** Most stoppage minutes one ADDED_TIME event may announce. */
export const MAX_ADDED_MINUTES = 30;

/**
 * The match after `event`: status and score follow from events alone.
 * OWN_GOAL names the team credited with the goal. Throws for events the state does not allow.
 */
export function applyEvent(state: MatchState, event: IncomingEvent): MatchState {
  if (NEEDS_TEAM.has(event.type) && !event.side) {
    throw new BadUserInputError(`${event.type} needs the teamId of the home or away team`, 'teamId');
  }
  if (state.status === MatchStatus.FINISHED)
    throw new InvalidStateError(`${event.type} rejected: the match has finished`);
  if (state.status === MatchStatus.CANCELLED || state.status === MatchStatus.POSTPONED) {
    throw new InvalidStateError(`${event.type} rejected: the match is ${state.status.toLowerCase()}`);
  }
  checkClock(state, event);
  const during = DURING_PLAY.get(event.type);
  if (during) {
    requireStatus(state, event, [...during]);
    return { ...state, minute: Math.max(state.minute ?? 0, event.minute) };
  }
  switch (event.type) {
    case MatchEventType.KICK_OFF:
      requireStatus(state, event, [MatchStatus.SCHEDULED]);
      return { ...state, status: MatchStatus.LIVE, minute: event.minute, homeGoals: 0, awayGoals: 0 };
    case MatchEventType.HALF_TIME:
      requireStatus(state, event, [MatchStatus.LIVE]);
      return {
        ...state,
        status: MatchStatus.HALF_TIME,
        minute: event.minute,
        halfTimeHomeGoals: state.homeGoals,
        halfTimeAwayGoals: state.awayGoals,
      };
    case MatchEventType.SECOND_HALF:
      requireStatus(state, event, [MatchStatus.HALF_TIME]);
      return { ...state, status: MatchStatus.LIVE, minute: event.minute };
    case MatchEventType.FULL_TIME:
      requireStatus(state, event, [...PLAYING, MatchStatus.PENALTIES]);
      if (state.status === MatchStatus.PENALTIES && state.homeShootoutGoals === state.awayShootoutGoals) {
        throw new InvalidStateError('FULL_TIME rejected: the shoot-out is level');
      }
      return { ...state, status: MatchStatus.FINISHED, minute: Math.max(state.minute ?? 0, event.minute) };
    case MatchEventType.EXTRA_TIME_START:
      return levelAfter(state, event, MatchStatus.LIVE, EXTRA_TIME_FROM_MINUTE, MatchStatus.EXTRA_TIME);
    case MatchEventType.SHOOTOUT_START:
      return {
        ...levelAfter(state, event, MatchStatus.EXTRA_TIME, SHOOTOUT_FROM_MINUTE, MatchStatus.PENALTIES),
        homeShootoutGoals: 0,
        awayShootoutGoals: 0,
      };
    case MatchEventType.SHOOTOUT_GOAL:
    case MatchEventType.SHOOTOUT_MISS: {
      requireStatus(state, event, [MatchStatus.PENALTIES]);
      const scored = event.type === MatchEventType.SHOOTOUT_GOAL ? 1 : 0;
      return {
        ...state,
        homeShootoutGoals: (state.homeShootoutGoals ?? 0) + (event.side === 'home' ? scored : 0),
        awayShootoutGoals: (state.awayShootoutGoals ?? 0) + (event.side === 'away' ? scored : 0),
      };
    }
    default:
      requireStatus(state, event, PLAYING);
      return {
        ...state,
        minute: Math.max(state.minute ?? 0, event.minute),
        homeGoals: (state.homeGoals ?? 0) + (event.side === 'home' ? 1 : 0),
        awayGoals: (state.awayGoals ?? 0) + (event.side === 'away' ? 1 : 0),
      };
  }
}

// Arrival order is applied order: score and cards add up whatever their order, the clock never
// goes back, and status events check the status. An event far behind the clock is most likely a
// wrong minute, so it is refused rather than stored.
function checkClock(state: MatchState, event: IncomingEvent): void {
  if (event.type === MatchEventType.ADDED_TIME) {
    const added = event.addedMinutes;
    if (added == null || !Number.isInteger(added) || added < 1 || added > MAX_ADDED_MINUTES) {
      throw new BadUserInputError(`ADDED_TIME needs addedMinutes from 1 to ${MAX_ADDED_MINUTES}`, 'addedMinutes');
    }
  }
  if (IN_PLAY.has(state.status) && state.minute !== null && event.minute < state.minute - MAX_MINUTES_BEHIND) {
    throw new OutOfOrderError(
      `${event.type} at minute ${event.minute} rejected: the match clock is at ${state.minute} (at most ${MAX_MINUTES_BEHIND} minutes behind)`,
    );
  }
  // The half-time score is fixed at the whistle: a first-half event arriving in the second half
  // would count in the score but not in it (correct the match with correctMatchEvent instead).
  if (state.status === MatchStatus.LIVE && state.halfTimeHomeGoals !== null && event.minute <= FIRST_HALF_MINUTES) {
    throw new InvalidStateError(
      `${event.type} at minute ${event.minute} rejected: the second half has begun, and the half-time score is set`,
    );
  }
}

// Extra time and the shoot-out follow a level score at the end of the period before.
function levelAfter(
  state: MatchState,
  event: IncomingEvent,
  from: MatchStatus,
  fromMinute: number,
  to: MatchStatus,
): MatchState {
  requireStatus(state, event, [from]);
  if (state.homeGoals !== state.awayGoals) {
    throw new InvalidStateError(`${event.type} rejected: the score is not level`);
  }
  if (event.minute < fromMinute) {
    throw new InvalidStateError(`${event.type} rejected: it comes at minute ${fromMinute} or later`);
  }
  return { ...state, status: to, minute: event.minute };
}

function requireStatus(state: MatchState, event: IncomingEvent, allowed: readonly MatchStatus[]): void {
  if (!allowed.includes(state.status)) {
    throw new InvalidStateError(
      `${event.type} rejected: the match is ${state.status}, expected ${allowed.join(' or ')}`,
    );
  }
}

const MANUAL_STATUSES = new Set([MatchStatus.SCHEDULED, MatchStatus.POSTPONED, MatchStatus.CANCELLED]);

/** Status changes allowed through updateMatch; live states only come from events. */
export function checkManualStatusChange(from: MatchStatus, to: MatchStatus): void {
  if (!MANUAL_STATUSES.has(to)) {
    throw new BadUserInputError(`status ${to} can only be reached by recording match events`, 'status');
  }
  if (!MANUAL_STATUSES.has(from)) {
    throw new InvalidStateError(`a ${from} match cannot be set to ${to}`);
  }
}

/** A stored event as the replay needs it. */
export interface StoredEvent extends IncomingEvent {
  cancelled: boolean;
}

/**
 * The match state from its stored events, in the order they were recorded, skipping cancelled
 * ones: what a correction leaves. Throws (INVALID_STATE) when what remains is not a possible
 * match, e.g. a goal left without the kick-off before it.
 */
export function replayEvents(events: readonly StoredEvent[]): MatchState {
  let state = stateOf({ status: MatchStatus.SCHEDULED });
  for (const event of events) {
    if (event.cancelled) continue;
    try {
      state = applyEvent(state, event);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidStateError(`The correction leaves an impossible match: ${reason}`);
    }
  }
  return state;
}
