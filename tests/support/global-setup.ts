import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { createOrm, migrate } from '../../src/db/orm';
import { createAdminClient, databaseUrlFor } from './postgres-admin';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One real PostgreSQL database per test run: created and migrated here, dropped at the end.
 * Uses the server at TEST_DATABASE_URL, or an embedded PostgreSQL when it is unset.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dir: path.join(dir, 'data'),
      port: await freePort(),
      database: 'postgres',
      logger: pino({ level: 'silent' }),
    });
    console.info('[tests] TEST_DATABASE_URL unset: using an embedded PostgreSQL');
    serverUrl = embedded.url;
    stops.push(async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  const database = `matchcast_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await createAdminClient(serverUrl);
  await admin.query(`create database "${database}"`);
  await admin.end();
  const databaseUrl = databaseUrlFor(serverUrl, database);
  const orm = await createOrm({ databaseUrl });
  await migrate(orm);
  await orm.close();
  project.provide('databaseUrl', databaseUrl);

  return async () => {
    const dropper = await createAdminClient(serverUrl!);
    await dropper.query(`drop database if exists "${database}" with (force)`);
    await dropper.end();
    for (const stop of stops) await stop();
  };
}
