import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/db/backup';
import { createOrm, migrate } from '../../src/db/orm';
import { choosePgTool, installedPgTools, PgToolError } from '../../src/db/pg-tools';
import { unique } from '../support/factories';
import { populate } from '../support/populate';
import { createAdminClient, databaseUrlFor } from '../support/postgres-admin';
import { tableFingerprints } from '../support/table-fingerprints';

const root = path.resolve(__dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-backup-'));
const serverUrl = inject('databaseUrl');
const source = `matchcast_backup_src_${unique()}`;
const databases = [source];
let toolsMissing: string | null = null;

// A fresh database of our own: the run's shared one changes under concurrent test files.
beforeAll(async () => {
  const admin = await createAdminClient(serverUrl);
  await admin.query(`create database "${source}"`);
  const { rows } = await admin.query<{ version: number }>(
    `select current_setting('server_version_num')::int as version`,
  );
  await admin.end();
  try {
    choosePgTool('pg_dump', Math.floor(rows[0]!.version / 10_000), installedPgTools('pg_dump'));
  } catch (error) {
    toolsMissing = (error as Error).message;
  }
  const orm = await createOrm({ databaseUrl: databaseUrlFor(serverUrl, source) });
  try {
    await migrate(orm);
    await populate(orm);
  } finally {
    await orm.close();
  }
}, 120_000);

afterAll(async () => {
  const admin = await createAdminClient(serverUrl);
  for (const database of databases) await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.end();
  fs.rmSync(work, { recursive: true, force: true });
});

// The embedded PostgreSQL (17) ships no pg_dump; CI's Debian server and client match, so CI never skips.
function requireTools(context: TestContext): void {
  if (toolsMissing && !process.env.CI) context.skip(toolsMissing);
}

function newDatabaseName(): string {
  const name = `matchcast_backup_dst_${unique()}`;
  databases.push(name);
  return name;
}

describe('backup and restore', () => {
  it('restores a backup into a new database with every table and sequence identical', async (context) => {
    requireTools(context);
    const sourceUrl = databaseUrlFor(serverUrl, source);
    const backup = await backupDatabase({ databaseUrl: sourceUrl, file: path.join(work, 'nested', 'full.dump') });
    expect(backup.bytes).toBeGreaterThan(0);
    const target = newDatabaseName();
    const restored = await restoreDatabase({ serverUrl, database: target, file: backup.file });
    expect(restored.created).toBe(true);

    const before = await tableFingerprints(sourceUrl);
    const after = await tableFingerprints(databaseUrlFor(serverUrl, target));
    // Every table holds rows, so equal fingerprints compare real data, not empty tables.
    for (const [table, { rows }] of Object.entries(before.tables)) expect(rows, table).toBeGreaterThan(0);
    expect(Object.keys(before.tables)).toEqual(
      expect.arrayContaining(['match', 'odds', 'prediction', 'tenant', 'plan']),
    );
    expect(before.tables.match!.rows).toBeGreaterThanOrEqual(380);
    expect(after).toEqual(before);
  }, 120_000);

  it('refuses to restore over a database with tables unless --clean, which replaces what the backup holds', async (context) => {
    requireTools(context);
    const sourceUrl = databaseUrlFor(serverUrl, source);
    const { file } = await backupDatabase({ databaseUrl: sourceUrl, file: path.join(work, 'again.dump') });
    const target = newDatabaseName();
    await restoreDatabase({ serverUrl, database: target, file });
    const targetUrl = databaseUrlFor(serverUrl, target);
    const client = new Client({ connectionString: targetUrl });
    await client.connect();
    await client.query(`update team set name = name || ' (changed)' where id = (select min(id) from team)`);
    await client.end();
    expect((await tableFingerprints(targetUrl)).tables.team).not.toEqual(
      (await tableFingerprints(sourceUrl)).tables.team,
    );

    await expect(restoreDatabase({ serverUrl, database: target, file })).rejects.toThrow(
      new RegExp(`database "${target}" is not empty .*pass --clean`),
    );
    await restoreDatabase({ serverUrl, database: target, file, clean: true });
    expect(await tableFingerprints(targetUrl)).toEqual(await tableFingerprints(sourceUrl));
  }, 120_000);

  it('runs as `npm run backup` and `npm run restore` without printing the password', async (context) => {
    requireTools(context);
    // The test server trusts local connections, so any password works and must never be echoed.
    const withPassword = (database: string) => {
      const url = new URL(databaseUrlFor(serverUrl, database));
      url.password = 'pw-must-not-show';
      return url.toString();
    };
    const file = path.join(work, 'cli.dump');
    const backup = npm(['run', 'backup', '--', file, '--database-url', withPassword(source)]);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`wrote ${file}`);
    const target = newDatabaseName();
    const restore = npm(['run', 'restore', '--', file, '--target', target, '--database-url', withPassword('postgres')]);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`restored into database "${target}" (created)`);
    for (const output of [backup.stdout, backup.stderr, restore.stdout, restore.stderr]) {
      expect(output).not.toContain('pw-must-not-show');
    }
    expect(await tableFingerprints(databaseUrlFor(serverUrl, target))).toEqual(
      await tableFingerprints(databaseUrlFor(serverUrl, source)),
    );
  }, 120_000);

  it('names the client version to install when pg_dump is older than the server', () => {
    const debian15 = [{ path: '/usr/lib/postgresql/15/bin/pg_dump', major: 15 }];
    expect(choosePgTool('pg_dump', 15, debian15).path).toBe('/usr/lib/postgresql/15/bin/pg_dump');
    expect(() => choosePgTool('pg_dump', 17, debian15)).toThrow(PgToolError);
    expect(() => choosePgTool('pg_dump', 17, debian15)).toThrow(
      /pg_dump 17 or newer is needed .* found only pg_dump 15 \(\/usr\/lib\/postgresql\/15\/bin\/pg_dump\).*postgresql-client-17/,
    );
  });
});

function npm(args: string[]) {
  return spawnSync('npm', ['--silent', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
}
