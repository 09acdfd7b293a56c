/**
 * Pure parser for football-data.co.uk style CSV files (match results, statistics and
 * bookmaker odds). No database, no network: `parseFootballDataCsv` turns text into rows and
 * per-line errors; `readFootballDataFile` is the only function touching the file system.
 *
 * Handles both layouts in /shared/data: `results/<league>/season-YYZZ.csv` (ISO dates, no
 * odds) and `football-data-epl/E0_YYZZ.csv` (dd/mm/yy or dd/mm/yyyy dates, `Time` column from
 * 2019/20, dozens of odds columns that change from season to season). Columns are looked up
 * by header name; BOM, CRLF, trailing commas and empty rows are taken in stride.
 */
import { readFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CsvError, InfoRecord } from 'csv-parse/sync';
import {
  FOOTBALL_DATA_TIME_ZONE,
  kickoffInstant,
  parseKickoffTime,
  parseMatchDate,
  type CalendarDate,
  type TimeOfDay,
} from './football-data.dates';
import { InvalidFieldError } from './football-data.errors';
import { compileOddsExtractor, type CellReader, type ParsedOdds } from './football-data.odds';

export type { OddsMarket, ParsedOdds } from './football-data.odds';

export interface MatchStats {
  homeShots?: number;
  awayShots?: number;
  homeShotsOnTarget?: number;
  awayShotsOnTarget?: number;
  homeRedCards?: number;
  awayRedCards?: number;
}

export interface ParsedMatchRow {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number;
  /**
   * Kick-off in UTC. With a `Time` column: that time as Europe/London local time (DST-aware).
   * Without one (EPL files before 2019/20, all results/ files): 12:00 UTC on the match day.
   */
  kickoff: Date;
  /** False when the file gave no time and `kickoff` is the midday default. */
  kickoffTimeKnown: boolean;
  /** Team names exactly as in the file, trimmed; alias resolution happens elsewhere. */
  homeTeam: string;
  awayTeam: string;
  /** Null when the score is empty (a fixture not yet played). */
  homeGoals: number | null;
  awayGoals: number | null;
  halfTimeHomeGoals: number | null;
  halfTimeAwayGoals: number | null;
  /** Present when the file has at least one statistic for the match. */
  stats?: MatchStats;
  odds: ParsedOdds[];
}

export interface RowError {
  /** 1-based line in the file. */
  line: number;
  message: string;
}

export interface ParsedFile {
  /** Competition slug, e.g. `premier-league`. */
  competitionCode: string;
  /** e.g. `2023/24`. */
  seasonLabel: string;
  rows: ParsedMatchRow[];
  errors: RowError[];
}

export interface FootballDataFileMeta {
  competitionCode: string;
  seasonLabel: string;
}

export interface ParseOptions extends FootballDataFileMeta {
  /** Zone of the `Time` column; football-data.co.uk publishes UK times for all leagues. */
  timeZone?: string;
}

/** football-data.co.uk division codes (`E0_2324.csv`) and their competition slugs. */
export const DIVISION_COMPETITIONS: Readonly<Record<string, string>> = {
  E0: 'premier-league',
  SP1: 'la-liga',
  I1: 'serie-a',
  D1: 'bundesliga',
  F1: 'ligue-1',
};

/** Competition slugs accepted as folder names in the `results/<league>/` layout. */
export const KNOWN_COMPETITION_CODES: readonly string[] = Object.values(DIVISION_COMPETITIONS);

/** Accepted header names per field, preferred first (`HG`/`Home` appear in other football-data files). */
const COLUMNS = {
  date: ['Date'],
  time: ['Time'],
  homeTeam: ['HomeTeam', 'Home', 'HT'],
  awayTeam: ['AwayTeam', 'Away', 'AT'],
  homeGoals: ['FTHG', 'HG'],
  awayGoals: ['FTAG', 'AG'],
  halfTimeHomeGoals: ['HTHG'],
  halfTimeAwayGoals: ['HTAG'],
} as const satisfies Record<string, readonly string[]>;

const STAT_COLUMNS: ReadonlyArray<readonly [keyof MatchStats, string]> = [
  ['homeShots', 'HS'],
  ['awayShots', 'AS'],
  ['homeShotsOnTarget', 'HST'],
  ['awayShotsOnTarget', 'AST'],
  ['homeRedCards', 'HR'],
  ['awayRedCards', 'AR'],
];

const REQUIRED_FIELDS = ['date', 'homeTeam', 'awayTeam', 'homeGoals', 'awayGoals'] as const;

type ColumnField = keyof typeof COLUMNS;

/** A whole number written as `2` or `2.0` (the 2014/15 EPL file writes goals as floats). */
const WHOLE_NUMBER = /^\+?\d+(\.0*)?$/;
const ANY_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses a goal count; empty -> null. @throws InvalidFieldError when negative or not whole. */
function parseGoals(raw: string, column: string): number | null {
  if (raw === '') return null;
  if (WHOLE_NUMBER.test(raw)) return Number(raw);
  if (ANY_NUMBER.test(raw)) {
    const value = Number(raw);
    if (value < 0) throw new InvalidFieldError(`${column} is negative ("${raw}")`);
    throw new InvalidFieldError(`${column} is not a whole number ("${raw}")`);
  }
  throw new InvalidFieldError(`${column} is not a number ("${raw}")`);
}

/** A statistic count, or undefined when empty or unusable (statistics never reject a row). */
function parseStat(raw: string): number | undefined {
  return WHOLE_NUMBER.test(raw) ? Number(raw) : undefined;
}

interface ScorePair {
  home: number | null;
  away: number | null;
}

function parseScore(
  homeRaw: string,
  awayRaw: string,
  homeColumn: string,
  awayColumn: string,
  label: string,
  problems: string[],
): ScorePair {
  let home: number | null = null;
  let away: number | null = null;
  try {
    home = parseGoals(homeRaw, homeColumn);
  } catch (error) {
    problems.push(messageOf(error));
  }
  try {
    away = parseGoals(awayRaw, awayColumn);
  } catch (error) {
    problems.push(messageOf(error));
  }
  if ((homeRaw === '') !== (awayRaw === '')) {
    const missing = homeRaw === '' ? homeColumn : awayColumn;
    problems.push(`incomplete ${label} score: ${missing} is empty`);
  }
  return { home, away };
}

function messageOf(error: unknown): string {
  if (error instanceof InvalidFieldError) return error.message;
  throw error;
}

/** Maps trimmed header names to their first column index. */
function indexHeader(header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = raw.replace(/^\uFEFF/, '').trim();
    if (name !== '' && !index.has(name)) index.set(name, i);
  });
  return index;
}

function resolveColumns(index: ReadonlyMap<string, number>) {
  const resolved = {} as Record<ColumnField, { name: string; index: number } | undefined>;
  for (const field of Object.keys(COLUMNS) as ColumnField[]) {
    const name = COLUMNS[field].find((candidate) => index.has(candidate));
    resolved[field] = name === undefined ? undefined : { name, index: index.get(name)! };
  }
  return resolved;
}

interface CsvRecord {
  record: string[];
  info: InfoRecord;
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** csv-parse reports the line a record ends on; a quoted field may span several lines. */
function firstLineOf({ record, info }: CsvRecord): number {
  const breaks = record.reduce((sum, field) => sum + (field.match(LINE_BREAK)?.length ?? 0), 0);
  return info.lines - breaks;
}

const isBlankRecord = (record: readonly string[]): boolean => record.every((cell) => cell.trim() === '');

/**
 * Parses the text of one football-data CSV file. Never throws on bad data: a row with a
 * missing or impossible date/time, a missing team or invalid goals becomes a `RowError`
 * (all its problems joined by `; `) and parsing continues with the next row.
 *
 * - A UTF-8 BOM is stripped; empty lines and rows of only commas are skipped.
 * - Dates: dd/mm/yy (yy < 50 -> 20yy, else 19yy), dd/mm/yyyy or yyyy-mm-dd.
 * - Kick-off: date + `Time` (Europe/London -> UTC) when the column exists, else 12:00 UTC.
 * - An empty full-time score (fixture) gives null goals; `2.0` is read as 2.
 * - Odds: see `ODDS_COLUMN_GROUPS`; a group with any missing price or price <= 1 is skipped.
 */
export function parseFootballDataCsv(text: string, meta: ParseOptions): ParsedFile {
  const { competitionCode, seasonLabel } = meta;
  const timeZone = meta.timeZone ?? FOOTBALL_DATA_TIME_ZONE;
  const rows: ParsedMatchRow[] = [];
  const errors: RowError[] = [];
  const result: ParsedFile = { competitionCode, seasonLabel, rows, errors };

  const records = parse(text.replace(/^\uFEFF/, ''), {
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = (error as (CsvError & { lines?: number }) | undefined)?.lines ?? 0;
      errors.push({ line, message: `unreadable CSV: ${error?.message ?? 'malformed record'}` });
      return undefined;
    },
  }) as unknown as CsvRecord[];

  const headerAt = records.findIndex((r) => !isBlankRecord(r.record));
  if (headerAt === -1) {
    errors.push({ line: 1, message: 'file has no header row' });
    return result;
  }
  const headerLine = firstLineOf(records[headerAt]);
  const columnIndex = indexHeader(records[headerAt].record);
  const columns = resolveColumns(columnIndex);
  const missing = REQUIRED_FIELDS.filter((field) => columns[field] === undefined);
  if (missing.length > 0) {
    const names = missing.map((field) => COLUMNS[field].join(' or ')).join(', ');
    errors.push({ line: headerLine, message: `header lacks required column(s): ${names}` });
    return result;
  }
  const statIndexes = STAT_COLUMNS.flatMap(([key, name]) => {
    const i = columnIndex.get(name);
    return i === undefined ? [] : [[key, i] as const];
  });
  const extractOdds = compileOddsExtractor(columnIndex);

  for (const csvRecord of records.slice(headerAt + 1)) {
    const { record } = csvRecord;
    if (isBlankRecord(record)) continue;
    const line = firstLineOf(csvRecord);
    const cell: CellReader = (i) => record[i];
    const value = (field: ColumnField): string => {
      const column = columns[field];
      return column === undefined ? '' : (record[column.index] ?? '').trim();
    };
    const columnName = (field: ColumnField): string => columns[field]?.name ?? field;

    const problems: string[] = [];
    let date: CalendarDate | null = null;
    let time: TimeOfDay | null = null;
    try {
      date = parseMatchDate(value('date'));
    } catch (error) {
      problems.push(messageOf(error));
    }
    if (value('time') !== '') {
      try {
        time = parseKickoffTime(value('time'));
      } catch (error) {
        problems.push(messageOf(error));
      }
    }
    const homeTeam = value('homeTeam');
    const awayTeam = value('awayTeam');
    if (homeTeam === '') problems.push(`missing home team (${columnName('homeTeam')})`);
    if (awayTeam === '') problems.push(`missing away team (${columnName('awayTeam')})`);
    if (homeTeam !== '' && homeTeam === awayTeam) {
      problems.push(`home and away team are both "${homeTeam}"`);
    }
    const fullTime = parseScore(
      value('homeGoals'),
      value('awayGoals'),
      columnName('homeGoals'),
      columnName('awayGoals'),
      'full-time',
      problems,
    );
    const halfTime = parseScore(
      value('halfTimeHomeGoals'),
      value('halfTimeAwayGoals'),
      columnName('halfTimeHomeGoals'),
      columnName('halfTimeAwayGoals'),
      'half-time',
      problems,
    );
    if (
      fullTime.home !== null &&
      fullTime.away !== null &&
      halfTime.home !== null &&
      halfTime.away !== null &&
      (halfTime.home > fullTime.home || halfTime.away > fullTime.away)
    ) {
      problems.push(
        `half-time score ${halfTime.home}-${halfTime.away} exceeds full-time score ${fullTime.home}-${fullTime.away}`,
      );
    }

    if (problems.length > 0 || date === null) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }

    const row: ParsedMatchRow = {
      line,
      kickoff: kickoffInstant(date, time, timeZone),
      kickoffTimeKnown: time !== null && time !== undefined,
      homeTeam,
      awayTeam,
      homeGoals: fullTime.home,
      awayGoals: fullTime.away,
      halfTimeHomeGoals: halfTime.home,
      halfTimeAwayGoals: halfTime.away,
      odds: extractOdds(cell),
    };
    const stats: MatchStats = {};
    for (const [key, i] of statIndexes) {
      const stat = parseStat((record[i] ?? '').trim());
      if (stat !== undefined) stats[key] = stat;
    }
    if (Object.keys(stats).length > 0) row.stats = stats;
    rows.push(row);
  }
  return result;
}

const RESULTS_FILE = /^season-(\d{2})(\d{2})\.csv$/i;
const DIVISION_FILE = /^([A-Z]+\d*)_(\d{2})(\d{2})\.csv$/i;

/** `93`,`94` -> `1993/94`; `99`,`00` -> `1999/00`. Throws unless the second year follows the first. */
function seasonLabelOf(startYy: string, endYy: string, fileName: string): string {
  const start = Number(startYy);
  if ((start + 1) % 100 !== Number(endYy)) {
    throw new Error(
      `Cannot tell the season of "${fileName}": ${startYy}${endYy} is not two consecutive years (e.g. 2324)`,
    );
  }
  const startYear = start >= 50 ? 1900 + start : 2000 + start;
  return `${startYear}/${endYy}`;
}

/**
 * Competition and season of a data file from its path:
 * `.../results/<league>/season-2324.csv` -> `{ competitionCode: '<league>', seasonLabel: '2023/24' }`
 * and `.../E0_2324.csv` -> `{ competitionCode: 'premier-league', ... }` (also SP1, I1, D1, F1).
 * @throws Error naming the file when the name, league folder or division code is unknown.
 */
export function describeFile(path: string): FootballDataFileMeta {
  const parts = path.split(/[\\/]+/).filter((part) => part !== '');
  const fileName = parts[parts.length - 1] ?? '';
  const results = RESULTS_FILE.exec(fileName);
  if (results) {
    const league = parts[parts.length - 2];
    if (league === undefined || !KNOWN_COMPETITION_CODES.includes(league)) {
      throw new Error(
        `Unknown league folder ${league === undefined ? '(none)' : `"${league}"`} for "${path}": ` +
          `expected results/<league>/season-YYZZ.csv with <league> one of ${KNOWN_COMPETITION_CODES.join(', ')}`,
      );
    }
    return { competitionCode: league, seasonLabel: seasonLabelOf(results[1], results[2], fileName) };
  }
  const division = DIVISION_FILE.exec(fileName);
  if (division) {
    const code = division[1].toUpperCase();
    const competitionCode = DIVISION_COMPETITIONS[code];
    if (competitionCode === undefined) {
      throw new Error(
        `Unknown football-data division "${division[1]}" in "${path}": known divisions are ` +
          Object.keys(DIVISION_COMPETITIONS).join(', '),
      );
    }
    return { competitionCode, seasonLabel: seasonLabelOf(division[2], division[3], fileName) };
  }
  throw new Error(
    `Unrecognised football-data file name "${fileName}" (${path}): expected ` +
      `results/<league>/season-YYZZ.csv or <Div>_YYZZ.csv such as E0_2324.csv`,
  );
}

/**
 * Decodes file bytes: UTF-8 when valid, otherwise Windows-1252 (older football-data.co.uk
 * downloads are not UTF-8).
 */
export function decodeFootballDataBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Reads and parses one file; competition and season come from {@link describeFile}. */
export async function readFootballDataFile(path: string): Promise<ParsedFile> {
  const meta = describeFile(path);
  const text = decodeFootballDataBytes(await readFile(nodePath.resolve(path)));
  return parseFootballDataCsv(text, meta);
}
