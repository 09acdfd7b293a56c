import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows, timestampOf } from '../db/select';
import type { MatchSnapshot } from '../matches/match.snapshot';
import type { MatchEventRow, OddsRow } from '../matches/match.views';
import type { PredictionSnapshot } from './prediction.snapshot';

/** What an update of a match's live feed says happened (the GraphQL type a client switches on). */
export const LiveUpdateKind = {
  EVENT_RECORDED: 'EVENT_RECORDED',
  EVENT_CORRECTED: 'EVENT_CORRECTED',
  MATCH_CHANGED: 'MATCH_CHANGED',
  PRICES_MOVED: 'PRICES_MOVED',
} as const;
export type LiveUpdateKind = (typeof LiveUpdateKind)[keyof typeof LiveUpdateKind];

/** The rows an update carries, stored with it and published as they are (JSON-safe). */
export interface LiveUpdateBody {
  /** The match after the change. */
  match: MatchSnapshot;
  /** The event recorded or corrected (EVENT_*). */
  event?: MatchEventRow;
  /** The in-play prediction the change produced, if any. */
  prediction?: PredictionSnapshot | null;
  /** The prices stored (PRICES_MOVED). */
  odds?: OddsRow[];
}

/** One update of a match's feed: as stored in `live_update`, published on LIVE_UPDATE, and resumed from. */
export interface LiveUpdate extends LiveUpdateBody {
  matchId: number;
  /** The match's sequence number: 1, 2, 3, … with no gap. */
  seq: number;
  competitionId: number;
  kind: LiveUpdateKind;
  /** When it was committed (ISO 8601). */
  at: string;
  /** Set in the publishing process only, for the push lag metric (ms since the epoch). */
  recordedAt?: number;
}

/**
 * Stores the match's next update in the transaction of `em`. Call it with the match's row locked
 * (`for update`): that lock is what makes the sequence gap-free and unique per match.
 */
export async function appendLiveUpdate(
  em: EntityManager,
  kind: LiveUpdateKind,
  body: LiveUpdateBody,
  at: Date,
): Promise<LiveUpdate> {
  const matchId = body.match.id;
  const [row] = await selectRows<{ seq: number; competition_id: number }>(
    em,
    `insert into live_update (match_id, seq, competition_id, kind, payload, created_at)
     select ?, coalesce((select max(seq) from live_update where match_id = ?), 0) + 1, s.competition_id, ?, ?::jsonb, ?
       from season s where s.id = ?
     returning seq, competition_id`,
    [matchId, matchId, kind, JSON.stringify(body), at, body.match.seasonId],
  );
  return { ...body, matchId, seq: row!.seq, competitionId: row!.competition_id, kind, at: at.toISOString() };
}

/**
 * The same insert as a part of a writing statement (`with … live as (…)`), once per row of
 * `source` (the inserted event), for a hot path that must not pay a round trip more. The ids the
 * statement makes are written into the stored body: `event.id` from `source.id`, and
 * `prediction.id` from `predicted.id` when the body has a prediction. It returns `seq`.
 */
export function liveUpdateInsertFrom(
  source: string,
  kind: LiveUpdateKind,
  body: LiveUpdateBody,
  at: Date,
): { sql: string; params: unknown[] } {
  let payload = '?::jsonb';
  if (body.event) payload = `jsonb_set(${payload}, '{event,id}', to_jsonb(${source}.id))`;
  if (body.prediction) payload = `jsonb_set(${payload}, '{prediction,id}', to_jsonb((select id from predicted)))`;
  return {
    sql: `insert into live_update (match_id, seq, competition_id, kind, payload, created_at)
          select ?::int, coalesce((select max(seq) from live_update where match_id = ?::int), 0) + 1,
                 (select competition_id from season where id = ?::int), ?::text, ${payload}, ?::timestamptz
            from ${source} returning seq, competition_id`,
    params: [body.match.id, body.match.id, body.match.seasonId, kind, JSON.stringify(body), at],
  };
}

export const LIVE_UPDATE_COLUMNS = 'match_id, seq, competition_id, kind, payload, created_at';

export interface LiveUpdateRow {
  match_id: number;
  seq: number;
  competition_id: number;
  kind: LiveUpdateKind;
  payload: LiveUpdateBody;
  created_at: string;
}

export function liveUpdateFromRow(row: LiveUpdateRow): LiveUpdate {
  return {
    ...row.payload,
    matchId: row.match_id,
    seq: row.seq,
    competitionId: row.competition_id,
    kind: row.kind,
    at: timestampOf(row.created_at).toISOString(),
  };
}
