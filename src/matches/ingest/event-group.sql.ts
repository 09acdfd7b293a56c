import type { Principal } from '../../auth/principal';
import { LiveUpdateKind } from '../../live/live-update';
import { auditRowsInsertFrom } from '../../tenants/audit';
import type { PlannedEvent } from '../event-plan';

/** What the group's statement answers per event, in the order given. */
export interface GroupWriteRow {
  ord: number;
  event_id: number;
  prediction_id: number | null;
  seq: number;
  competition_id: number;
  /** How many of the group's events were new (the same on every row). */
  inserted: number;
}

const EVENT_COLUMNS = 'match_id, type, minute, team_id, added_minutes, detail, source, external_id, created_at';
const PREDICTION_COLUMNS =
  'match_id, model_name, model_version, home_win, draw, away_win, expected_home_goals, expected_away_goals, ' +
  'in_play_minute, markets, created_at';
const of = (alias: string, columns: string) =>
  columns
    .split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');

/**
 * One statement for a batch's events of one match (planned in order under the match's lock):
 * every event, its audit row, its in-play prediction and its live update, and the match's state
 * after the last one. The rows travel as one jsonb parameter; ids are drawn in the statement
 * (in order) and written into the stored live updates, whose sequence numbers follow the match's
 * last one. A taken key inserts nothing for that event and `inserted` comes back short: the caller
 * rolls the statement back and goes one event at a time (which sorts out repeats and conflicts).
 */
export function groupWriteStatement(
  planned: readonly PlannedEvent[],
  principal: Principal | null,
): { sql: string; params: unknown[] } {
  const last = planned.at(-1)!;
  const match = last.afterMatch;
  // The match's columns the group changed, and when the last of them moved (as event by event).
  const changedColumns = new Map<string, unknown>();
  let changedAt: Date | null = null;
  for (const p of planned) {
    for (const [key, column] of p.changed) changedColumns.set(column, p.after[key]);
    if (p.changed.length) changedAt = p.now;
  }
  const rows = planned.map((p, k) => ({
    ord: k + 1,
    event: p.event,
    prediction: p.prediction,
    audit: { matchId: match.id, type: p.input.type, minute: p.input.minute },
    payload: p.body,
    created_at: p.now,
  }));
  const audited = auditRowsInsertFrom('rows', principal, 'match.event.record', 'MatchEvent', {
    id: 'event_id',
    data: 'audit',
  });
  const updated = changedAt
    ? `updated as (update match set ${[...changedColumns.keys()].map((column) => `${column} = ?, `).join('')}` +
      'updated_at = ? where id = ?),'
    : '';
  const sql = `
    with rows as materialized (
           select r.ord, r.event, r.prediction, r.audit, r.payload, r.created_at,
                  nextval('match_event_id_seq')::int as event_id,
                  case when r.prediction is null then null else nextval('prediction_id_seq')::int end as prediction_id
             from jsonb_to_recordset(?::jsonb)
                  as r(ord int, event jsonb, prediction jsonb, audit jsonb, payload jsonb, created_at timestamptz)
            order by r.ord),
         inserted as (
           insert into match_event (id, ${EVENT_COLUMNS})
           select rows.event_id, ${of('e', EVENT_COLUMNS)}
             from rows cross join lateral jsonb_populate_record(null::match_event, rows.event) e
            order by rows.ord
           on conflict (source, external_id) do nothing returning id),
         ${updated}
         predicted as (
           insert into prediction (id, ${PREDICTION_COLUMNS})
           select rows.prediction_id, ${of('p', PREDICTION_COLUMNS)}
             from rows cross join lateral jsonb_populate_record(null::prediction, rows.prediction) p
            where rows.prediction is not null),
         audited as (${audited.sql}),
         base as (select coalesce(max(seq), 0) as seq,
                         (select competition_id from season where id = ?::int) as competition_id
                    from live_update where match_id = ?::int),
         live as (
           insert into live_update (match_id, seq, competition_id, kind, payload, created_at)
           select ?::int, base.seq + rows.ord, base.competition_id, ?::text,
                  case when rows.prediction_id is null then p1 else jsonb_set(p1, '{prediction,id}', to_jsonb(rows.prediction_id)) end,
                  rows.created_at
             from rows cross join base
                  cross join lateral (select jsonb_set(rows.payload, '{event,id}', to_jsonb(rows.event_id)) as p1) withId)
    select rows.ord, rows.event_id, rows.prediction_id, base.seq + rows.ord as seq, base.competition_id,
           (select count(*) from inserted)::int as inserted
      from rows cross join base order by rows.ord`;
  return {
    sql,
    params: [
      JSON.stringify(rows),
      ...(changedAt ? [...changedColumns.values(), changedAt, match.id] : []),
      ...audited.params,
      last.body.match.seasonId,
      match.id,
      match.id,
      LiveUpdateKind.EVENT_RECORDED,
    ],
  };
}
