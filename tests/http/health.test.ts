import { afterAll, describe, expect, inject, it } from 'vitest';
import { createOrm, migrate } from '../../src/db/orm';
import { Role } from '../../src/tenants/role';
import { CompetitionsDocument } from '../generated/graphql';
import { createMember, unique } from '../support/factories';
import { createAdminClient, databaseUrlFor } from '../support/postgres-admin';
import { startTestApp } from '../support/test-app';

interface Report {
  status: 'ok' | 'fail';
  checks: Record<string, { status: 'ok' | 'fail'; latencyMs: number; error?: string }>;
}

async function probe(url: string, path: '/healthz' | '/readyz'): Promise<{ status: number; body: Report }> {
  const response = await fetch(url.replace('/graphql', path));
  return { status: response.status, body: (await response.json()) as Report };
}

describe('health', () => {
  it('answers /healthz with the event loop check and its latency', async () => {
    const t = await startTestApp();
    const { status, body } = await probe(t.app.url, '/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', checks: { eventLoop: { status: 'ok', latencyMs: expect.any(Number) } } });
  });

  it('is ready with database, migrations and (when configured) Redis checked, each with its latency', async () => {
    const t = await startTestApp();
    const { status, body } = await probe(t.app.url, '/readyz');
    expect(status).toBe(200);
    const expected = ['shutdown', 'database', 'migrations', ...(process.env.REDIS_URL ? ['cache', 'pubSub'] : [])];
    expect(Object.keys(body.checks).sort()).toEqual(expected.sort());
    for (const check of Object.values(body.checks)) {
      expect(check).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
    }
  });

  it('is not ready, naming Redis, when Redis is unreachable, and still answers within the check timeout', async () => {
    const t = await startTestApp({ redisUrl: 'redis://127.0.0.1:1' });
    const started = Date.now();
    const { status, body } = await probe(t.app.url, '/readyz');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(status).toBe(503);
    expect(body.status).toBe('fail');
    expect(body.checks.database!.status).toBe('ok');
    expect(body.checks.cache).toMatchObject({ status: 'fail', error: expect.any(String) });
    expect(body.checks.pubSub).toMatchObject({ status: 'fail', error: expect.any(String) });
  });

  it('turns unready as soon as shutdown begins, while requests are still served', async () => {
    const t = await startTestApp();
    const viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    t.app.markShuttingDown();
    const { status, body } = await probe(t.app.url, '/readyz');
    expect(status).toBe(503);
    expect(body.checks.shutdown).toMatchObject({ status: 'fail', error: 'shutting down' });
    expect(body.checks.database!.status).toBe('ok');
    expect(Array.isArray((await viewer.data(CompetitionsDocument)).competitions)).toBe(true);
  });
});

describe('readiness with a pending migration', () => {
  const serverUrl = inject('databaseUrl');
  const database = `matchcast_pending_${unique()}`;

  afterAll(async () => {
    const admin = await createAdminClient(serverUrl);
    await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.end();
  });

  it('is not ready while a migration is pending, naming it', async () => {
    const admin = await createAdminClient(serverUrl);
    await admin.query(`create database "${database}"`);
    await admin.end();
    const databaseUrl = databaseUrlFor(serverUrl, database);
    const orm = await createOrm({ databaseUrl });
    const applied = await migrate(orm);
    // As if the newest migration had not run yet (e.g. a new release started with MIGRATE_ON_START=false).
    const newest = applied.at(-1)!;
    await orm.em.getConnection().execute('delete from mikro_orm_migrations where name = ?', [newest]);
    await orm.close();

    const t = await startTestApp({ databaseUrl, migrateOnStart: false });
    const { status, body } = await probe(t.app.url, '/readyz');
    expect(status).toBe(503);
    expect(body.checks.database!.status).toBe('ok');
    expect(body.checks.migrations).toMatchObject({ status: 'fail', error: expect.stringContaining(newest) });
  });
});
