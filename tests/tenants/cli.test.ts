import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { EXIT, main } from '../../scripts/tenant-cli';
import { TenantApiKeysDocument, TenantAuditLogDocument, ViewerDocument } from '../generated/graphql';
import { unique } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

const root = path.resolve(__dirname, '../..');

/** Runs `npm run tenant -- <args>` as a user would, against the run's test database. */
function tenantCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/tenant.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The key is printed alone on the last line. */
const keyOf = (stdout: string) => {
  const key = stdout.trim().split('\n').at(-1)!;
  expect(key).toMatch(/^mc_[\w-]{20,}$/);
  return key;
};

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

describe('npm run tenant', () => {
  it('creates a tenant whose printed key is its OWNER, then keys with scopes and roles', async () => {
    const slug = `cli-${unique()}`;
    const created = await tenantCli([
      'create',
      '--slug',
      slug,
      '--name',
      'Acme CLI',
      '--owner-email',
      `Boss@${slug}.test`,
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created tenant ${slug}`);
    const owner = t.client(keyOf(created.stdout));
    const { viewer } = await owner.data(ViewerDocument);
    expect(viewer).toMatchObject({
      role: 'OWNER',
      scopes: [],
      tenant: { slug, name: 'Acme CLI' },
      user: { email: `boss@${slug}.test`, name: 'Boss' },
    });

    const [feed, second] = await Promise.all([
      tenantCli(['key', '--tenant', slug, '--name', 'ingest-feed', '--scopes', 'INGEST', '--role', 'VIEWER']),
      tenantCli(['key', '--tenant', slug, '--name', 'backup']),
    ]);
    expect(feed.code, feed.stderr).toBe(0);
    const { viewer: feedViewer } = await t.client(keyOf(feed.stdout)).data(ViewerDocument);
    expect(feedViewer).toMatchObject({ role: 'VIEWER', scopes: ['INGEST'], tenant: { slug } });
    expect(second.code, second.stderr).toBe(0);
    expect((await t.client(keyOf(second.stdout)).data(ViewerDocument)).viewer.member).toEqual(viewer.member);

    // Only prefixes are kept, and every change is in the tenant's audit log.
    const keys = await owner.data(TenantApiKeysDocument, {});
    const listed = keys.viewer.tenant.apiKeys.edges.map((e) => [e.node.name, e.node.scopes]);
    expect(listed.sort()).toEqual([
      ['backup', []],
      ['ingest-feed', ['INGEST']],
      ['owner (first key)', []],
    ]);
    expect(JSON.stringify(keys)).not.toContain(keyOf(second.stdout));
    const audit = await owner.data(TenantAuditLogDocument, {});
    expect(audit.viewer.tenant.auditLog.edges.map((e) => e.node.action)).toEqual([
      'api_key.create',
      'api_key.create',
      'tenant.create',
    ]);
  }, 120_000);

  it('fails with exit code 1 and a clear message when refused, 2 on bad usage', async () => {
    const slug = `cli-${unique()}`;
    expect((await tenantCli(['create', '--slug', slug, '--name', 'X', '--owner-email', `a@${slug}.test`])).code).toBe(
      0,
    );
    // Each run starts a Node process with tsx: slow on a busy machine, hence few runs and long timeouts.
    const [duplicate, missing, usage] = await Promise.all([
      tenantCli(['create', '--slug', slug, '--name', 'X', '--owner-email', `b@${slug}.test`]),
      tenantCli(['key', '--tenant', `none-${slug}`, '--name', 'x']),
      tenantCli(['create', '--slug', 'Bad Slug', '--name', 'X', '--owner-email', 'a@b.test']),
    ]);
    expect(duplicate).toMatchObject({ code: 1, stdout: '' });
    expect(duplicate.stderr).toContain(`error (CONFLICT): A tenant with slug "${slug}" exists already`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`error (NOT_FOUND): Tenant none-${slug} was not found`);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toContain('--slug: slug must be');
  }, 120_000);

  it('checks its arguments before touching the database', async () => {
    const cases = [
      [['create', '--name', 'X', '--owner-email', 'a@b.test'], '--slug is required'],
      [['key', '--tenant', 't', '--name', 'x', '--scopes', 'ROOT'], '--scopes: unknown ROOT'],
      [['key', '--tenant', 't', '--name', 'x', '--role', 'VIEWER', '--member', 'a@b.test'], 'not both'],
      [['key', '--tenant', 't', '--name', 'x', '--role', 'KING'], '--role must be one of'],
      [['key', '--tenant', 't', '--name', 'x', '--expires', 'someday'], '--expires is not a date'],
      [['drop', '--tenant', 't'], 'unknown command "drop"'],
      [['create', '--sloog', 'x'], "Unknown option '--sloog'"],
    ] as const;
    const printed: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
    try {
      for (const [args, message] of cases) {
        printed.length = 0;
        expect(await main([...args]), args.join(' ')).toBe(EXIT.usage);
        expect(printed.join('\n'), args.join(' ')).toContain(message);
      }
    } finally {
      spy.mockRestore();
    }
  });
});
