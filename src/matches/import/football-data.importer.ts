import type { EntityManager } from '@mikro-orm/postgresql';
import { COMPETITION_INFO, normaliseTeamName } from './competitions';
import type { ParsedFile, ParsedMatchRow, ParsedOdds, RowError } from './football-data.parser';
import { mergeImportedMatch, type MatchRecord, type StoredMatch } from './merge-match';

export interface FileImportResult {
  matches: number;
  matchesCreated: number;
  matchesUpdated: number;
  odds: number;
  oddsWritten: number;
  teamsCreated: number;
  /** Rows skipped or only partly applied, e.g. a result that disagrees with the stored one. */
  warnings: RowError[];
  /** Stored matches this import changed (their cached copies are stale). */
  updatedMatchIds: number[];
}

type Sql = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Writes one parsed file in the caller's transaction. Idempotent: every write is an upsert
 * that only touches rows whose values differ, so a second import changes nothing.
 */
export async function importParsedFile(em: EntityManager, file: ParsedFile): Promise<FileImportResult> {
  const sql: Sql = (query, params = []) => em.getConnection().execute(query, params, 'all', em.getTransactionContext());
  const competitionId = await upsertCompetition(sql, file.competitionCode);
  const seasonId = await upsertSeason(sql, competitionId, file);
  const { ids: teamIds, created: teamsCreated } = await resolveTeams(
    sql,
    file,
    COMPETITION_INFO[file.competitionCode]?.country,
  );
  const { rows, duplicates } = withoutDuplicateFixtures(file.rows, teamIds);
  const written = await upsertMatches(sql, seasonId, rows, teamIds);
  const matchIds = await matchIdsBySides(sql, seasonId);
  const odds = rows.flatMap((row) => {
    const matchId = matchIds.get(`${teamIds.get(row.homeTeam)}-${teamIds.get(row.awayTeam)}`)!;
    return row.odds.map((o) => oddsRecord(matchId, o));
  });
  const oddsWritten = await upsertOdds(sql, odds);
  return {
    matches: rows.length,
    matchesCreated: written.created,
    matchesUpdated: written.updatedIds.length,
    odds: odds.length,
    oddsWritten,
    teamsCreated,
    warnings: [...duplicates, ...written.conflicts].sort((a, b) => a.line - b.line),
    updatedMatchIds: written.updatedIds,
  };
}

/** A fixture listed twice in one file keeps its first row; the others are reported. */
function withoutDuplicateFixtures(
  rows: ParsedMatchRow[],
  teamIds: Map<string, number>,
): { rows: ParsedMatchRow[]; duplicates: RowError[] } {
  const firstLine = new Map<string, number>();
  const duplicates: RowError[] = [];
  const unique = rows.filter((row) => {
    const key = `${teamIds.get(row.homeTeam)}-${teamIds.get(row.awayTeam)}`;
    const first = firstLine.get(key);
    if (first === undefined) {
      firstLine.set(key, row.line);
      return true;
    }
    duplicates.push({
      line: row.line,
      message: `${row.homeTeam} v ${row.awayTeam} is listed again (first at line ${first}); skipped`,
    });
    return false;
  });
  return { rows: unique, duplicates };
}

async function upsertCompetition(sql: Sql, code: string): Promise<number> {
  const info = COMPETITION_INFO[code] ?? { name: code, country: 'Unknown' };
  const [row] = await sql(
    `insert into competition (code, name, country) values (?, ?, ?)
     on conflict (code) do update set code = excluded.code returning id`,
    [code, info.name, info.country],
  );
  return row!.id as number;
}

async function upsertSeason(sql: Sql, competitionId: number, file: ParsedFile): Promise<number> {
  const days = file.rows.map((r) => r.kickoff.toISOString().slice(0, 10)).sort();
  const startYear = Number(file.seasonLabel.slice(0, 4));
  const start = days[0] ?? `${startYear}-07-01`;
  const end = days.at(-1) ?? `${startYear + 1}-06-30`;
  // Widen, never narrow, the dates: a partial file must not shrink a known season.
  const [row] = await sql(
    `insert into season (competition_id, label, start_date, end_date) values (?, ?, ?, ?)
     on conflict (competition_id, label) do update
       set start_date = least(season.start_date, excluded.start_date), end_date = greatest(season.end_date, excluded.end_date)
       where excluded.start_date < season.start_date or excluded.end_date > season.end_date
     returning id`,
    [competitionId, file.seasonLabel, start, end],
  );
  if (row) return row.id as number;
  const [existing] = await sql(`select id from season where competition_id = ? and label = ?`, [
    competitionId,
    file.seasonLabel,
  ]);
  return existing!.id as number;
}

async function resolveTeams(
  sql: Sql,
  file: ParsedFile,
  country: string | undefined,
): Promise<{ ids: Map<string, number>; created: number }> {
  const names = [...new Set(file.rows.flatMap((r) => [r.homeTeam, r.awayTeam]))];
  const ids = new Map<string, number>();
  let created = 0;
  for (const name of names) {
    const alias = normaliseTeamName(name);
    const [known] = await sql(`select team_id from team_alias where alias = ?`, [alias]);
    if (known) {
      ids.set(name, known.team_id as number);
      continue;
    }
    const [team] = await sql(
      `insert into team (name, short_name, country) values (?, ?, ?)
       on conflict (name) do update set name = excluded.name returning id, (xmax = 0) as inserted`,
      [name, name.slice(0, 64), country ?? null],
    );
    await sql(`insert into team_alias (team_id, alias) values (?, ?) on conflict (alias) do nothing`, [
      team!.id,
      alias,
    ]);
    if (team!.inserted) created += 1;
    ids.set(name, team!.id as number);
  }
  return { ids, created };
}

const MATCH_COLUMNS = `home_team_id int, away_team_id int, kickoff timestamptz, status text, home_goals int,
  away_goals int, half_time_home_goals int, half_time_away_goals int, home_shots int, away_shots int,
  home_shots_on_target int, away_shots_on_target int`;

async function upsertMatches(
  sql: Sql,
  seasonId: number,
  rows: ParsedMatchRow[],
  teamIds: Map<string, number>,
): Promise<{ created: number; updatedIds: number[]; conflicts: RowError[] }> {
  const stored = (await sql(`select * from match where season_id = ?`, [seasonId])) as unknown as StoredMatch[];
  const existing = new Map(stored.map((m) => [`${m.home_team_id}-${m.away_team_id}`, m]));
  const toInsert: MatchRecord[] = [];
  const toUpdate: MatchRecord[] = [];
  const conflicts: RowError[] = [];
  for (const row of rows) {
    const record = matchRecord(row, teamIds);
    const current = existing.get(`${record.home_team_id}-${record.away_team_id}`);
    if (!current) {
      toInsert.push(record);
      continue;
    }
    const { update, conflict } = mergeImportedMatch(record, current, row.kickoffTimeKnown);
    if (update) toUpdate.push(update);
    if (conflict) conflicts.push({ line: row.line, message: conflict });
  }
  if (toInsert.length) {
    await sql(
      `insert into match (season_id, home_team_id, away_team_id, kickoff, status, home_goals, away_goals,
                          half_time_home_goals, half_time_away_goals, home_shots, away_shots,
                          home_shots_on_target, away_shots_on_target, created_at, updated_at)
       select ?, r.home_team_id, r.away_team_id, r.kickoff, r.status, r.home_goals, r.away_goals,
              r.half_time_home_goals, r.half_time_away_goals, r.home_shots, r.away_shots,
              r.home_shots_on_target, r.away_shots_on_target, now(), now()
         from jsonb_to_recordset(?::jsonb) as r(${MATCH_COLUMNS})
       on conflict (season_id, home_team_id, away_team_id) do nothing`,
      [seasonId, JSON.stringify(toInsert)],
    );
  }
  if (toUpdate.length) {
    await sql(
      `update match m set kickoff = r.kickoff, status = r.status, home_goals = r.home_goals, away_goals = r.away_goals,
              half_time_home_goals = r.half_time_home_goals, half_time_away_goals = r.half_time_away_goals,
              home_shots = r.home_shots, away_shots = r.away_shots,
              home_shots_on_target = r.home_shots_on_target, away_shots_on_target = r.away_shots_on_target,
              updated_at = now()
         from jsonb_to_recordset(?::jsonb) as r(id int, ${MATCH_COLUMNS})
        where m.id = r.id`,
      [JSON.stringify(toUpdate)],
    );
  }
  return { created: toInsert.length, updatedIds: toUpdate.map((u) => u.id!), conflicts };
}

function matchRecord(row: ParsedMatchRow, teamIds: Map<string, number>): MatchRecord {
  return {
    home_team_id: teamIds.get(row.homeTeam)!,
    away_team_id: teamIds.get(row.awayTeam)!,
    kickoff: row.kickoff.toISOString(),
    status: row.homeGoals === null ? 'SCHEDULED' : 'FINISHED',
    home_goals: row.homeGoals,
    away_goals: row.awayGoals,
    half_time_home_goals: row.halfTimeHomeGoals,
    half_time_away_goals: row.halfTimeAwayGoals,
    home_shots: row.stats?.homeShots ?? null,
    away_shots: row.stats?.awayShots ?? null,
    home_shots_on_target: row.stats?.homeShotsOnTarget ?? null,
    away_shots_on_target: row.stats?.awayShotsOnTarget ?? null,
  };
}

async function matchIdsBySides(sql: Sql, seasonId: number): Promise<Map<string, number>> {
  const rows = await sql(`select id, home_team_id, away_team_id from match where season_id = ?`, [seasonId]);
  return new Map(rows.map((r) => [`${r.home_team_id}-${r.away_team_id}`, r.id as number]));
}

interface OddsRecord {
  match_id: number;
  bookmaker: string;
  market: string;
  line: number;
  prices: number[];
  closing: boolean;
}

function oddsRecord(matchId: number, odds: ParsedOdds): OddsRecord {
  const market =
    odds.market === '1X2' ? 'ONE_X_TWO' : odds.market === 'OVER_UNDER_2_5' ? 'OVER_UNDER' : 'ASIAN_HANDICAP';
  const line = odds.market === 'OVER_UNDER_2_5' ? 2.5 : (odds.line ?? 0);
  return { match_id: matchId, bookmaker: odds.bookmaker, market, line, prices: odds.prices, closing: odds.closing };
}

async function upsertOdds(sql: Sql, odds: OddsRecord[]): Promise<number> {
  if (odds.length === 0) return 0;
  const written = await sql(
    `insert into odds (match_id, bookmaker, market, line, prices, closing)
     select r.match_id, r.bookmaker, r.market, r.line, r.prices, r.closing
       from jsonb_to_recordset(?::jsonb) as r(match_id int, bookmaker text, market text, line float8, prices jsonb, closing boolean)
     on conflict (match_id, bookmaker, market, line, closing, taken_at) do update set prices = excluded.prices
     where odds.prices is distinct from excluded.prices
     returning id`,
    [JSON.stringify(odds)],
  );
  return written.length;
}
