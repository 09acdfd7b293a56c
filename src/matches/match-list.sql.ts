import { BadUserInputError } from '../errors';
import type { MatchStatus } from './match.enums';
import { MATCH_COLUMNS, type MatchRow } from './match.views';

export interface MatchListFilter {
  competitionCode?: string;
  seasonLabel?: string;
  teamId?: number;
  status?: MatchStatus;
  from?: Date;
  to?: Date;
}

/** A page row; `id` and the other match columns are null when the page is empty. */
export type MatchListRow = MatchRow & { total_count: number };

/**
 * One statement for a page of matches and the filter's total: the count is computed once (a
 * CTE), the page walks (kickoff, id) and stops at `limit` rows. Hand-written because the query
 * builder's per-call work was a tenth of a list request's CPU, and a separate count statement
 * a second round trip.
 */
export function matchListStatement(
  filter: MatchListFilter,
  limit: number,
  after: unknown[] | null,
): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.competitionCode || filter.seasonLabel) {
    const season: string[] = [];
    if (filter.competitionCode) {
      season.push('s.competition_id in (select c.id from competition c where c.code = ?)');
      params.push(filter.competitionCode);
    }
    if (filter.seasonLabel) {
      season.push('s.label = ?');
      params.push(filter.seasonLabel);
    }
    conditions.push(`m.season_id in (select s.id from season s where ${season.join(' and ')})`);
  }
  if (filter.teamId !== undefined) {
    conditions.push('(m.home_team_id = ? or m.away_team_id = ?)');
    params.push(filter.teamId, filter.teamId);
  }
  if (filter.status) {
    conditions.push('m.status = ?');
    params.push(filter.status);
  }
  if (filter.from) {
    conditions.push('m.kickoff >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    conditions.push('m.kickoff < ?');
    params.push(filter.to);
  }
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  const pageParams = [...params];
  let pageWhere = where;
  if (after) {
    const [kickoff, id] = cursorValues(after);
    pageWhere = `${where ? `${where} and` : 'where'} (m.kickoff, m.id) > (?, ?)`;
    pageParams.push(kickoff, id);
  }
  const columns = MATCH_COLUMNS.split(', ')
    .map((column) => `m.${column}`)
    .join(', ');
  const sql =
    `with total as (select count(*)::int as total_count from match m ${where}) ` +
    `select total.total_count, page.* from total left join lateral ` +
    `(select ${columns} from match m ${pageWhere} order by m.kickoff, m.id limit ?) page on true`;
  return { sql, params: [...params, ...pageParams, limit] };
}

function cursorValues(after: unknown[]): [Date, number] {
  const [kickoff, id] = after;
  const date = typeof kickoff === 'string' ? new Date(kickoff) : null;
  if (!date || Number.isNaN(date.getTime()) || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return [date, id];
}
