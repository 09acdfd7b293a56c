import { intArrayParameter } from '../db/select';
import type { LiveUpdate } from './live-update';

/**
 * The matches a `liveFeed` follows: those of any listed competition, team or match (the
 * watchlist's entries are added to the lists), or every match when the filter lists nothing.
 */
export interface LiveFeedScope {
  everyMatch: boolean;
  competitions: ReadonlySet<number>;
  teams: ReadonlySet<number>;
  matches: ReadonlySet<number>;
}

export function scopeOf(
  lists: { competitions: number[]; teams: number[]; matches: number[] },
  everyMatch: boolean,
): LiveFeedScope {
  return {
    everyMatch,
    competitions: new Set(lists.competitions),
    teams: new Set(lists.teams),
    matches: new Set(lists.matches),
  };
}

export function fitsScope(scope: LiveFeedScope, update: LiveUpdate): boolean {
  return (
    scope.everyMatch ||
    scope.matches.has(update.matchId) ||
    scope.competitions.has(update.competitionId) ||
    scope.teams.has(update.match.homeTeamId) ||
    scope.teams.has(update.match.awayTeamId)
  );
}

/** The scope as a condition on `live_update lu` joined with `match m`, and its parameters. */
export function scopeCondition(scope: LiveFeedScope): { sql: string; params: unknown[] } {
  if (scope.everyMatch) return { sql: 'true', params: [] };
  const teams = intArrayParameter(scope.teams);
  return {
    sql: `(lu.match_id = any(?::int[]) or lu.competition_id = any(?::int[])
           or m.home_team_id = any(?::int[]) or m.away_team_id = any(?::int[]))`,
    params: [intArrayParameter(scope.matches), intArrayParameter(scope.competitions), teams, teams],
  };
}
