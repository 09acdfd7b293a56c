import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { databaseName, maskPassword, splitPassword, withDatabaseName } from './database-url';
import { choosePgTool, installedPgTools, type PgToolName } from './pg-tools';

const run = promisify(execFile);

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupOptions {
  databaseUrl: string;
  /** Where to write the archive (pg_dump's custom format); its folder is created. */
  file: string;
  /** Folder of the pg_dump to use; default: the newest in Debian's folders or on PATH. */
  pgBinDir?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  pgDump: string;
}

/** Writes a custom-format archive of the whole database; a failed dump leaves no file behind. */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const tool = await toolFor('pg_dump', options.databaseUrl, options.pgBinDir);
  const file = path.resolve(options.file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  try {
    await pgCommand(tool, ['--format=custom', `--file=${partial}`], options.databaseUrl);
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { file, bytes: fs.statSync(file).size, pgDump: tool };
}

export interface RestoreOptions {
  /** Any database URL on the target server: its credentials are used, its database name is not. */
  serverUrl: string;
  /** Database to restore into; created when missing. */
  database: string;
  file: string;
  /** Replace the objects the archive holds in a database that is not empty (pg_restore --clean). */
  clean?: boolean;
  pgBinDir?: string;
}

export interface RestoreResult {
  database: string;
  created: boolean;
  pgRestore: string;
}

/**
 * Restores an archive of `backupDatabase` in one transaction: either all of it or nothing.
 * Refuses a database that already holds tables unless `clean`.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  if (!fs.existsSync(options.file)) throw new BackupError(`no backup file at ${options.file}`);
  const targetUrl = withDatabaseName(options.serverUrl, options.database);
  const created = await createDatabaseIfMissing(options.serverUrl, options.database);
  if (!created && !options.clean) {
    const tables = await userTables(targetUrl);
    if (tables.length > 0) {
      throw new BackupError(
        `database "${options.database}" is not empty (${tables.length} tables: ${tables.slice(0, 5).join(', ')}` +
          `${tables.length > 5 ? ', …' : ''}); restore into a new database, or pass --clean to replace what the backup holds`,
      );
    }
  }
  const tool = await toolFor('pg_restore', targetUrl, options.pgBinDir);
  // No owners or grants: the restoring role owns everything, whatever role made the backup.
  const args = ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error'];
  if (options.clean) args.push('--clean', '--if-exists');
  await pgCommand(tool, [...args, path.resolve(options.file)], targetUrl);
  return { database: options.database, created, pgRestore: tool };
}

/** A file name for a backup taken now: `backups/<database>-<UTC timestamp>.dump`. */
export function defaultBackupFile(databaseUrl: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join('backups', `${databaseName(databaseUrl) || 'database'}-${stamp}.dump`);
}

async function toolFor(name: PgToolName, databaseUrl: string, pgBinDir?: string): Promise<string> {
  const serverMajor = await withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ version: number }>(
      `select current_setting('server_version_num')::int as version`,
    );
    return Math.floor(rows[0]!.version / 10_000);
  });
  return choosePgTool(name, serverMajor, installedPgTools(name, pgBinDir)).path;
}

async function pgCommand(tool: string, args: string[], databaseUrl: string): Promise<void> {
  const { url, password } = splitPassword(databaseUrl);
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  try {
    await run(tool, [...args, `--dbname=${url}`], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new BackupError(`${path.basename(tool)} failed on ${maskPassword(databaseUrl)}: ${stderr || String(error)}`);
  }
}

async function createDatabaseIfMissing(serverUrl: string, database: string): Promise<boolean> {
  return withClient(withDatabaseName(serverUrl, 'postgres'), async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`create database "${database.replace(/"/g, '""')}"`);
    return true;
  });
}

async function userTables(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'v', 'm', 'f')
         and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       order by c.relname`,
    );
    return rows.map((row) => row.name);
  });
}

async function withClient<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`cannot connect to ${maskPassword(databaseUrl)}: ${(error as Error).message}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
