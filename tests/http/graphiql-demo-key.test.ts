import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppConfig } from '../../src/config';
import { unique } from '../support/factories';
import { createAdminClient, databaseUrlFor } from '../support/postgres-admin';
import { startTestApp, type TestApp } from '../support/test-app';

// The demo seed writes demo tenants and data: a database of this file's own (the first start imports demo-data/).
const serverUrl = inject('databaseUrl');
const database = `matchcast_demo_key_${unique()}`;
const demoApiKey = `mc_demo_${unique()}${unique()}`;

// Registered first, so it runs after every app of the file has closed.
afterAll(async () => {
  const admin = await createAdminClient(serverUrl);
  await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.end();
});

beforeAll(async () => {
  const admin = await createAdminClient(serverUrl);
  await admin.query(`create database "${database}"`);
  await admin.end();
});

async function startDemo(overrides: Partial<AppConfig>): Promise<{ t: TestApp; logLines: Record<string, unknown>[] }> {
  const logLines: Record<string, unknown>[] = [];
  const t = await startTestApp(
    {
      databaseUrl: databaseUrlFor(serverUrl, database),
      migrateOnStart: true,
      seedDemo: true,
      demoApiKey,
      ...overrides,
    },
    { logLines, logLevel: 'info' },
  );
  return { t, logLines };
}

/** GraphiQL's page as a browser on this machine gets it, by 127.0.0.1 whatever HOST is. */
async function explorerPage(t: TestApp): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${t.app.port}/graphql`, { headers: { accept: 'text/html' } });
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  return response.text();
}

const messages = (lines: Record<string, unknown>[]) => lines.map((line) => String(line.msg));

describe('the demo key in GraphiQL', () => {
  it('is left out when the server listens beyond loopback, saying so and how to opt in', async () => {
    const { t, logLines } = await startDemo({ host: '0.0.0.0' });
    expect(t.app.demo?.apiKey).toBe(demoApiKey);
    expect(t.app.graphiqlHasDemoKey).toBe(false);
    expect(await explorerPage(t)).not.toContain(demoApiKey);
    expect(messages(logLines)).toContainEqual(
      expect.stringMatching(/GraphiQL leaves the demo key out: .*0\.0\.0\.0.*GRAPHIQL_DEMO_KEY=true/),
    );
  });

  it('is in the headers when the server listens on loopback only', async () => {
    const { t, logLines } = await startDemo({ host: '127.0.0.1' });
    expect(t.app.graphiqlHasDemoKey).toBe(true);
    expect(await explorerPage(t)).toContain(demoApiKey);
    expect(messages(logLines).join('\n')).not.toMatch(/leaves the demo key out/);
  });

  it('is in the headers beyond loopback when GRAPHIQL_DEMO_KEY=true', async () => {
    const { t } = await startDemo({ host: '0.0.0.0', graphiqlDemoKey: true });
    expect(t.app.graphiqlHasDemoKey).toBe(true);
    expect(await explorerPage(t)).toContain(demoApiKey);
  });

  it('is left out on loopback when GRAPHIQL_DEMO_KEY=false', async () => {
    const { t } = await startDemo({ host: '127.0.0.1', graphiqlDemoKey: false });
    expect(t.app.graphiqlHasDemoKey).toBe(false);
    expect(await explorerPage(t)).not.toContain(demoApiKey);
  });
});
