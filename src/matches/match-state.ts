import { BadUserInputError, InvalidStateError } from '../errors';
import { MatchEventType, MatchStatus } from './match.enums';

export interface MatchState {
  status: MatchStatus;
  minute: number | null;
  homeGoals: number | null;
  awayGoals: number | null;
  halfTimeHomeGoals: number | null;
  halfTimeAwayGoals: number | null;
}

export type Side = 'home' | 'away';

const STATE_KEYS = ['status', 'minute', 'homeGoals', 'awayGoals', 'halfTimeHomeGoals', 'halfTimeAwayGoals'] as const;

/** The event-driven part of a match (missing values read as null). */
export function stateOf(match: { [K in keyof MatchState]?: MatchState[K] | undefined }): MatchState {
  return Object.fromEntries(STATE_KEYS.map((key) => [key, match[key] ?? null])) as unknown as MatchState;
}

export interface IncomingEvent {
  type: MatchEventType;
  minute: number;
  /** Side of the team the event names, or null when it names none. */
  side: Side | null;
}

const SCORING = new Set([MatchEventType.GOAL, MatchEventType.OWN_GOAL, MatchEventType.PENALTY_GOAL]);
const NEEDS_TEAM = new Set([...SCORING, MatchEventType.RED_CARD]);
const IN_PLAY = new Set([MatchStatus.LIVE, MatchStatus.HALF_TIME]);

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
      requireStatus(state, event, [MatchStatus.LIVE]);
      return { ...state, status: MatchStatus.FINISHED, minute: event.minute };
    case MatchEventType.RED_CARD:
      requireStatus(state, event, [...IN_PLAY]);
      return { ...state, minute: Math.max(state.minute ?? 0, event.minute) };
    default:
      requireStatus(state, event, [MatchStatus.LIVE]);
      return {
        ...state,
        minute: Math.max(state.minute ?? 0, event.minute),
        homeGoals: (state.homeGoals ?? 0) + (event.side === 'home' ? 1 : 0),
        awayGoals: (state.awayGoals ?? 0) + (event.side === 'away' ? 1 : 0),
      };
  }
}

function requireStatus(state: MatchState, event: IncomingEvent, allowed: MatchStatus[]): void {
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
