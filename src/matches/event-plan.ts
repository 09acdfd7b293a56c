import { LiveUpdateKind, type LiveUpdateBody } from '../live/live-update';
import { toPredictionSnapshot } from '../live/prediction.snapshot';
import {
  inPlayInputsAfter,
  newInPlayPrediction,
  storedInPlayPrediction,
  type InPlayEvent,
  type InPlayInputsRow,
  type InPlayPredictionValues,
} from '../predictions/in-play.service';
import type { Prediction } from '../predictions/prediction.entity';
import { BadUserInputError } from '../errors';
import type { LiveUpdate } from '../live/live-update';
import { applyEvent, isPastRegularTime, stateOf, type MatchState, type Side } from './match-state';
import type { MatchEvent } from './match-event.entity';
import type { Match } from './match.entity';
import type { MatchEventType } from './match.enums';
import { toMatchSnapshot } from './match.snapshot';
import { eventFromRow, matchFromRow, type MatchEventRow, type MatchRow } from './match.views';

export interface NewMatchEvent {
  matchId: number;
  type: MatchEventType;
  minute: number;
  teamId?: number;
  addedMinutes?: number;
  detail?: string;
  source: string;
  externalId: string;
}

/** A match locked for events: its row as read, and its state and in-play inputs after the events written so far. */
export interface LockedMatch {
  row: MatchRow & InPlayInputsRow;
  match: Match;
  inputs: InPlayInputsRow;
}

export interface RecordedEvent {
  event: MatchEvent;
  match: Match;
  /** False when the same (source, externalId) had already been recorded. */
  created: boolean;
  /** In-play prediction made from the match after this event, if it is in play. */
  prediction: Prediction | null;
  /** The match's live-feed update stored with it (none for a repeated delivery). */
  live?: LiveUpdate;
}

export const STATE_COLUMNS: readonly (readonly [keyof MatchState, string])[] = [
  ['status', 'status'],
  ['minute', 'minute'],
  ['homeGoals', 'home_goals'],
  ['awayGoals', 'away_goals'],
  ['halfTimeHomeGoals', 'half_time_home_goals'],
  ['halfTimeAwayGoals', 'half_time_away_goals'],
  ['homeShootoutGoals', 'home_shootout_goals'],
  ['awayShootoutGoals', 'away_shootout_goals'],
];

/** Everything an event's write stores and pushes, worked out before the statement runs. */
export interface PlannedEvent {
  input: NewMatchEvent;
  now: Date;
  after: MatchState;
  /** The state columns this event changes. */
  changed: (typeof STATE_COLUMNS)[number][];
  afterMatch: Match;
  inPlayEvent: InPlayEvent;
  prediction: InPlayPredictionValues | null;
  /** The match_event row's columns, but its id. */
  event: Omit<MatchEventRow, 'id' | 'created_at' | 'cancelled_at' | 'corrected_at'> & { created_at: Date };
  /** The event as read back; its id is filled in once the statement made it. */
  eventRow: MatchEventRow;
  /** The live update's body; the statement writes the event's and the prediction's ids into it. */
  body: LiveUpdateBody;
}

/**
 * The next event of a locked match, worked out in memory: its new state (an impossible event
 * throws its AppError), its in-play prediction and its live update. `locked` is not changed:
 * `advance` moves it on once the event is written.
 */
export function planEvent(locked: LockedMatch, input: NewMatchEvent): PlannedEvent {
  if (input.matchId !== locked.match.id) throw new Error('planEvent: an event of another match');
  const { match, row } = locked;
  const before = stateOf(match);
  const side = sideOf(match, input.teamId);
  const after = applyEvent(before, { type: input.type, minute: input.minute, side, addedMinutes: input.addedMinutes });
  const now = new Date();
  // As a flush would: only changed columns are written, and updatedAt moves only when one is.
  const changed = STATE_COLUMNS.filter(([key]) => after[key] !== before[key]);
  const afterMatch = changed.length ? Object.assign(matchFromRow(row), after, { updatedAt: now }) : match;
  const inPlayEvent = { type: input.type, side, addedMinutes: input.addedMinutes ?? null };
  const prediction = isPastRegularTime(before.status)
    ? null
    : newInPlayPrediction(afterMatch, locked.inputs, inPlayEvent);
  const event = {
    match_id: match.id,
    type: input.type,
    minute: input.minute,
    team_id: input.teamId ?? null,
    added_minutes: input.addedMinutes ?? null,
    detail: input.detail ?? null,
    source: input.source,
    external_id: input.externalId,
    created_at: now,
  };
  const eventRow: MatchEventRow = {
    ...event,
    id: 0,
    created_at: now.toISOString(),
    cancelled_at: null,
    corrected_at: null,
  };
  const body: LiveUpdateBody = {
    match: toMatchSnapshot(afterMatch),
    event: eventRow,
    prediction: prediction ? toPredictionSnapshot(storedInPlayPrediction(prediction, 0)) : null,
  };
  return { input, now, after, changed, afterMatch, inPlayEvent, prediction, event, eventRow, body };
}

/** `locked` after `planned` is written: the next event of the match starts from there. */
export function advance(locked: LockedMatch, planned: PlannedEvent): void {
  locked.match = planned.afterMatch;
  locked.inputs = inPlayInputsAfter(locked.inputs, { ...planned.inPlayEvent, minute: planned.input.minute });
}

/** The written event, with the ids and the sequence number its statement made. */
export function recordedEvent(
  planned: PlannedEvent,
  made: { eventId: number; predictionId: number | null; seq: number; competitionId: number },
): RecordedEvent {
  const { eventRow, body, afterMatch, prediction } = planned;
  eventRow.id = made.eventId;
  if (body.prediction) body.prediction.id = made.predictionId!;
  return {
    event: eventFromRow(eventRow),
    match: afterMatch,
    created: true,
    prediction: prediction ? storedInPlayPrediction(prediction, made.predictionId!) : null,
    live: {
      ...body,
      matchId: afterMatch.id,
      seq: made.seq,
      competitionId: made.competitionId,
      kind: LiveUpdateKind.EVENT_RECORDED,
      at: planned.now.toISOString(),
    },
  };
}

export function sideOf(match: Match, teamId: number | undefined): Side | null {
  if (teamId === undefined) return null;
  if (teamId === match.homeTeam.id) return 'home';
  if (teamId === match.awayTeam.id) return 'away';
  throw new BadUserInputError('teamId must be the home or the away team of the match', 'teamId');
}
