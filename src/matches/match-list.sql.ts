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
  const params: unknown[] = [];
  // The count and the page share the filter's parameters.
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (filter.competitionCode || filter.seasonLabel) {
    const season: string[] = [];
    if (filter.competitionCode) {
      season.push(
        `s.competition_id in (select c.id from competition c where c.code = ${param(filter.competitionCode)})`,
      );
    }
    if (filter.seasonLabel) season.push(`s.label = ${param(filter.seasonLabel)}`);
    conditions.push(`m.season_id in (select s.id from season s where ${season.join(' and ')})`);
  }
  // Ids as bigint: a client's id past the int range finds nothing rather than failing the statement.
  if (filter.teamId !== undefined) {
    const team = `${param(filter.teamId)}::bigint`;
    conditions.push(`(m.home_team_id = ${team} or m.away_team_id = ${team})`);
  }
  if (filter.status) conditions.push(`m.status = ${param(filter.status)}`);
  if (filter.from) conditions.push(`m.kickoff >= ${param(filter.from)}`);
  if (filter.to) conditions.push(`m.kickoff < ${param(filter.to)}`);
  const countConditions = [...conditions];
  if (after) {
    const [kickoff, id] = cursorValues(after);
    conditions.push(`(m.kickoff, m.id) > (${param(kickoff)}, ${param(id)}::bigint)`);
  }
  const where = (list: string[]) => (list.length > 0 ? `where ${list.join(' and ')}` : '');
  const columns = MATCH_COLUMNS.split(', ');
  const sql =
    `with total as (select count(*)::int as total_count from match m ${where(countConditions)}) ` +
    `select total.total_count, ${columns.map((column) => `page.${column}`).join(', ')} from total left join lateral ` +
    `(select ${columns.map((column) => `m.${column}`).join(', ')} from match m ${where(conditions)} ` +
    `order by m.kickoff, m.id limit ${param(limit)}) page on true order by page.kickoff, page.id`;
  return { sql, params };
}

function cursorValues(after: unknown[]): [Date, number] {
  const [kickoff, id] = after;
  const date = typeof kickoff === 'string' ? new Date(kickoff) : null;
  if (!date || Number.isNaN(date.getTime()) || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return [date, id];
}
