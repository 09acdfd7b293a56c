import { idRef, readViewFactory } from '../db/read-view';
import type { JsonRelation } from '../db/relation-batch';
import { nullableTimestampOf, timestampOf } from '../db/select';
import { MatchEvent } from './match-event.entity';
import { Match } from './match.entity';
import type { MatchEventType, MatchStatus, OddsMarket } from './match.enums';
import { Odds } from './odds.entity';

export const MATCH_COLUMNS =
  'id, season_id, home_team_id, away_team_id, kickoff, status, minute, home_goals, away_goals, ' +
  'half_time_home_goals, half_time_away_goals, home_shootout_goals, away_shootout_goals, home_shots, away_shots, home_shots_on_target, ' +
  'away_shots_on_target, created_at, updated_at';

export interface MatchRow {
  id: number;
  season_id: number;
  home_team_id: number;
  away_team_id: number;
  kickoff: string;
  status: MatchStatus;
  minute: number | null;
  home_goals: number | null;
  away_goals: number | null;
  half_time_home_goals: number | null;
  half_time_away_goals: number | null;
  home_shootout_goals: number | null;
  away_shootout_goals: number | null;
  home_shots: number | null;
  away_shots: number | null;
  home_shots_on_target: number | null;
  away_shots_on_target: number | null;
  created_at: string;
  updated_at: string;
}

const matchView = readViewFactory(Match);

export function matchFromRow(row: MatchRow): Match {
  return matchView({
    id: row.id,
    season: idRef(row.season_id),
    homeTeam: idRef(row.home_team_id),
    awayTeam: idRef(row.away_team_id),
    kickoff: timestampOf(row.kickoff),
    status: row.status,
    minute: row.minute,
    homeGoals: row.home_goals,
    awayGoals: row.away_goals,
    halfTimeHomeGoals: row.half_time_home_goals,
    halfTimeAwayGoals: row.half_time_away_goals,
    homeShootoutGoals: row.home_shootout_goals,
    awayShootoutGoals: row.away_shootout_goals,
    homeShots: row.home_shots,
    awayShots: row.away_shots,
    homeShotsOnTarget: row.home_shots_on_target,
    awayShotsOnTarget: row.away_shots_on_target,
    createdAt: timestampOf(row.created_at),
    updatedAt: timestampOf(row.updated_at),
  });
}

export const ODDS_COLUMNS = 'id, match_id, bookmaker, market, line, prices, taken_at, closing';

/** A match's odds, bookmaker by bookmaker, as JSON objects with the entity's property names. */
export const ODDS_OF_MATCHES: JsonRelation = {
  name: 'odds',
  // A row per element (row_to_json) rather than json_build_object: 12% less of PostgreSQL's time
  // for a page's 1,199 odds, and compact JSON (no spaces around colons) for the driver to parse.
  sql: `select match_id as key, json_agg((select element from (select o.id, o.bookmaker, o.market, o.line, o.prices,
      o.taken_at as "takenAt", o.closing) element) order by bookmaker, market, line, id) as value
    from odds o where match_id = any(?::bigint[]) group by match_id`,
};

/**
 * A match's current prices: per bookmaker, market and line, the newest (ingested prices carry
 * their time; of imported rows, which have none, the closing one). Same order as
 * odds/odds-ingest.service.ts's CURRENT_ODDS_ORDER.
 */
export const LATEST_ODDS_OF_MATCHES: JsonRelation = {
  name: 'latestOdds',
  sql: `select match_id as key, json_agg((select element from (select o.id, o.bookmaker, o.market, o.line, o.prices,
      o.taken_at as "takenAt", o.closing) element) order by bookmaker, market, line) as value
    from (select distinct on (match_id, bookmaker, market, line) * from odds where match_id = any(?::bigint[])
           order by match_id, bookmaker, market, line, taken_at desc nulls last, closing desc, id desc) o
    group by match_id`,
};

/** A match's events in match order, as JSON objects with the entity's property names. */
export const EVENTS_OF_MATCHES: JsonRelation = {
  name: 'events',
  sql: `select match_id as key, json_agg(json_build_object('id', id, 'match', json_build_object('id', match_id),
      'type', type, 'minute', minute,
      'team', case when team_id is null then null else json_build_object('id', team_id) end,
      'addedMinutes', added_minutes, 'detail', detail, 'source', source, 'externalId', external_id,
      'createdAt', created_at, 'cancelledAt', cancelled_at, 'correctedAt', corrected_at) order by minute, id) as value
    from match_event where match_id = any(?::bigint[]) group by match_id`,
};

export interface OddsRow {
  id: number;
  match_id: number;
  bookmaker: string;
  market: OddsMarket;
  line: number;
  prices: number[];
  taken_at: string | null;
  closing: boolean;
}

const oddsView = readViewFactory(Odds);

export function oddsFromRow(row: OddsRow): Odds {
  return oddsView({
    id: row.id,
    match: idRef(row.match_id),
    bookmaker: row.bookmaker,
    market: row.market,
    line: row.line,
    prices: row.prices,
    takenAt: nullableTimestampOf(row.taken_at),
    closing: row.closing,
  });
}

export const EVENT_COLUMNS =
  'id, match_id, type, minute, team_id, added_minutes, detail, source, external_id, created_at, cancelled_at, corrected_at';

export interface MatchEventRow {
  id: number;
  match_id: number;
  type: MatchEventType;
  minute: number;
  team_id: number | null;
  added_minutes: number | null;
  detail: string | null;
  source: string;
  external_id: string;
  created_at: string;
  cancelled_at: string | null;
  /** Absent from live updates stored before the column existed. */
  corrected_at?: string | null;
}

const eventView = readViewFactory(MatchEvent);

export function eventFromRow(row: MatchEventRow): MatchEvent {
  return eventView({
    id: row.id,
    match: idRef(row.match_id),
    type: row.type,
    minute: row.minute,
    team: row.team_id === null ? null : idRef(row.team_id),
    addedMinutes: row.added_minutes,
    detail: row.detail,
    source: row.source,
    externalId: row.external_id,
    createdAt: timestampOf(row.created_at),
    cancelledAt: nullableTimestampOf(row.cancelled_at),
    correctedAt: nullableTimestampOf(row.corrected_at ?? null),
  });
}
