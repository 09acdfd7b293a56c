import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../../db/orm';
import { importParsedFile, type FileImportResult } from './football-data.importer';
import { readFootballDataFile, type RowError } from './football-data.parser';

export interface ImportProgress {
  file: string;
  index: number;
  total: number;
  result?: FileImportResult;
  /** Bad rows, skipped; the rest of the file is imported. */
  rowErrors: RowError[];
  /** Rows skipped or partly applied on purpose (duplicates, results that disagree with stored ones). */
  warnings: RowError[];
  /** Set when the whole file failed and was rolled back. */
  failure?: string;
}

export interface ImportSummary {
  files: number;
  failedFiles: number;
  matchesCreated: number;
  matchesUpdated: number;
  oddsWritten: number;
  badRows: number;
  warnings: number;
  /** Stored matches changed by the import (cached copies are stale). */
  updatedMatchIds: number[];
}

/** CSV files under the given files or folders, in a stable order. */
export function collectCsvFiles(inputs: string[]): string[] {
  return inputs.flatMap((input) => {
    const stat = fs.statSync(input);
    if (stat.isFile()) return [input];
    return fs
      .readdirSync(input, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.toLowerCase().endsWith('.csv'))
      .map((name) => path.join(input, name))
      .sort();
  });
}

/** Imports each file in its own transaction; a broken file is reported and the rest go on. */
export async function importFiles(
  orm: Orm,
  files: string[],
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    files: files.length,
    failedFiles: 0,
    matchesCreated: 0,
    matchesUpdated: 0,
    oddsWritten: 0,
    badRows: 0,
    warnings: 0,
    updatedMatchIds: [],
  };
  for (const [index, file] of files.entries()) {
    const progress: ImportProgress = { file, index: index + 1, total: files.length, rowErrors: [], warnings: [] };
    try {
      const parsed = await readFootballDataFile(file);
      progress.rowErrors = parsed.errors;
      progress.result = await orm.em.fork().transactional((em) => importParsedFile(em as EntityManager, parsed));
      summary.matchesCreated += progress.result.matchesCreated;
      summary.matchesUpdated += progress.result.matchesUpdated;
      summary.oddsWritten += progress.result.oddsWritten;
      summary.badRows += parsed.errors.length;
      progress.warnings = progress.result.warnings;
      summary.warnings += progress.warnings.length;
      summary.updatedMatchIds.push(...progress.result.updatedMatchIds);
    } catch (error) {
      progress.failure = shortMessage(error);
      summary.failedFiles += 1;
    }
    onProgress(progress);
  }
  return summary;
}

// Driver errors repeat the whole statement (with every row of JSON); the reason is at the end.
function shortMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(' - ').at(-1)!.slice(0, 500);
}

/** One line per file for humans, with bad rows and warnings as `file:line: message`. */
export function formatProgress(p: ImportProgress): string {
  const head = `[${p.index}/${p.total}] ${p.file}: `;
  const rows = [...p.rowErrors, ...p.warnings.map((w) => ({ ...w, message: `warning: ${w.message}` }))]
    .sort((a, b) => a.line - b.line)
    .map((e) => `\n  ${p.file}:${e.line}: ${e.message}`)
    .join('');
  if (p.failure) return `${head}FAILED, nothing imported: ${p.failure}${rows}`;
  const r = p.result!;
  return (
    `${head}${r.matches} matches (${r.matchesCreated} new, ${r.matchesUpdated} updated), ` +
    `${r.odds} odds (${r.oddsWritten} written), ${p.rowErrors.length} bad rows, ${p.warnings.length} warnings${rows}`
  );
}
