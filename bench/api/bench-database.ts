import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { generateApiKey, hashApiKey, visiblePrefix } from '../../src/auth/api-key';
import { loadConfig } from '../../src/config';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { createOrm, migrate } from '../../src/db/orm';
import { collectCsvFiles, importFiles } from '../../src/matches/import/import-files';
import { createAdminClient, databaseUrlFor } from '../../tests/support/postgres-admin';
import { SCENARIO_MATCH_EVENTS, STORED_PREDICTIONS_SQL } from './bench-data.sql';
import { log } from './log';

export const BENCH_DATABASE = 'matchcast_bench';
/** Stored as the database's comment once loading finished; bump when the loaded data changes. */
const LOADED_MARKER = 'matchcast-bench data v1';
const DATA_DIR = path.resolve(__dirname, '../../../shared/data');

export interface BenchDatabase {
  url: string;
  /** Plain API key of the bench tenant's ADMIN (OPERATOR and INGEST scopes), issued for this run. */
  apiKey: string;
  postgresVersion: string;
  /** Stops the embedded PostgreSQL when this run started one. */
  stop(): Promise<void>;
}

/**
 * The bench database on the server of DATABASE_URL / TEST_DATABASE_URL (else an embedded one):
 * reused when a previous run loaded it completely, otherwise (or with `fresh`) rebuilt.
 */
export async function prepareBenchDatabase(options: { fresh: boolean }): Promise<BenchDatabase> {
  const server = await openServer();
  try {
    const url = databaseUrlFor(server.url, BENCH_DATABASE);
    const loaded = !options.fresh && (await readMarker(server.url)) === LOADED_MARKER;
    if (!loaded) await recreateDatabase(server.url);
    await migrateAndImport(url, !loaded);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      if (!loaded) await storeGeneratedRows(client);
      const apiKey = await issueBenchApiKey(client);
      // Vacuum too: autovacuum would otherwise start on the fresh rows during the measurements
      // (and its commits would count as SQL statements).
      log('vacuum (analyze)');
      await client.query('vacuum (analyze)');
      const version = await client.query<{ server_version: string }>('show server_version');
      return { url, apiKey, postgresVersion: version.rows[0]!.server_version, stop: server.stop };
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function openServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const configured = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (configured) return { url: configured, stop: async () => {} };
  const { embeddedPostgres } = loadConfig({ ...process.env, NODE_ENV: 'development' });
  log(`no DATABASE_URL or TEST_DATABASE_URL: using the embedded PostgreSQL in ${embeddedPostgres.dir}`);
  return startEmbeddedPostgres({ ...embeddedPostgres, database: 'postgres', logger: pino({ level: 'silent' }) });
}

async function readMarker(serverUrl: string): Promise<string | null> {
  const admin = await createAdminClient(serverUrl);
  try {
    const found = await admin.query<{ marker: string | null }>(
      `select shobj_description(oid, 'pg_database') as marker from pg_database where datname = $1`,
      [BENCH_DATABASE],
    );
    return found.rows[0]?.marker ?? null;
  } finally {
    await admin.end();
  }
}

async function recreateDatabase(serverUrl: string): Promise<void> {
  log(`creating database ${BENCH_DATABASE} (dropping any earlier one)`);
  const admin = await createAdminClient(serverUrl);
  try {
    await admin.query(`drop database if exists ${BENCH_DATABASE} with (force)`);
    await admin.query(`create database ${BENCH_DATABASE}`);
  } finally {
    await admin.end();
  }
}

/** Migrations always run (a reused database gets new ones); the CSV import only into a new database. */
async function migrateAndImport(url: string, importData: boolean): Promise<void> {
  const orm = await createOrm({ databaseUrl: url });
  try {
    const applied = await migrate(orm);
    if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
    if (!importData) return;
    const files = collectCsvFiles([path.join(DATA_DIR, 'results'), path.join(DATA_DIR, 'football-data-epl')]);
    log(`importing ${files.length} CSV files from ${DATA_DIR} (a few minutes)`);
    const started = Date.now();
    const summary = await importFiles(orm, files, (p) => {
      if (p.failure) log(`import failed: ${p.file}: ${p.failure}`);
      else if (p.index % 20 === 0 || p.index === p.total) log(`imported ${p.index}/${p.total} files`);
    });
    if (summary.failedFiles > 0) throw new Error(`${summary.failedFiles} CSV files failed to import`);
    log(
      `imported ${summary.matchesCreated} matches and ${summary.oddsWritten} odds rows ` +
        `in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await orm.close();
  }
}

async function storeGeneratedRows(client: Client): Promise<void> {
  log('storing 5 predictions per match and the events of the single-match scenario');
  await client.query('begin');
  await client.query(STORED_PREDICTIONS_SQL);
  await client.query(SCENARIO_MATCH_EVENTS);
  await client.query(`comment on database ${BENCH_DATABASE} is '${LOADED_MARKER}'`);
  await client.query('commit');
}

/**
 * A fresh key of the `bench` tenant's ADMIN for each run, with the OPERATOR and INGEST scopes
 * (the ingest scenario records match events); earlier bench keys are deleted.
 */
async function issueBenchApiKey(client: Client): Promise<string> {
  const plainKey = generateApiKey();
  await client.query(
    `with tenant as (
       insert into tenant (slug, name, created_at, plan_id)
       values ('bench', 'Bench', now(), (select id from plan where name = 'enterprise'))
       on conflict (slug) do update set name = excluded.name, plan_id = excluded.plan_id returning id
     ), app_user as (
       insert into app_user (email, name, created_at) values ('bench@matchcast.local', 'Bench Admin', now())
       on conflict (email) do update set name = excluded.name returning id
     ), membership as (
       insert into membership (tenant_id, user_id, role, name, created_at)
       select tenant.id, app_user.id, 'ADMIN', 'Bench Admin', now() from tenant, app_user
       on conflict (tenant_id, user_id) do update set role = excluded.role returning id
     ), removed as (
       delete from api_key where membership_id in (select id from membership)
     )
     insert into api_key (membership_id, name, prefix, hash, scopes, created_at)
     select id, 'bench (npm run bench:api)', $1, $2, array['OPERATOR', 'INGEST'], now() from membership`,
    [visiblePrefix(plainKey), hashApiKey(plainKey)],
  );
  return plainKey;
}
