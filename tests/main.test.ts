import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { createAdminClient, databaseUrlFor } from './support/postgres-admin';
import { unique } from './support/factories';
import { LiveFeedDocument } from './generated/graphql';
import { GraphqlClient, Subscription } from './support/graphql-client';

const root = path.resolve(__dirname, '..');
const demoKey = `mc_demo_${unique()}${unique()}`;

/** Starts `src/main.ts` as `npm start` does and resolves with the URL it prints. */
function startMain(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /explorer: (http:\/\/\S+?\/graphql)/.exec(output);
      if (match && output.includes('API key')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe('npm start', () => {
  const serverUrl = inject('databaseUrl');
  const database = `matchcast_main_${unique()}`;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    const admin = await createAdminClient(serverUrl);
    await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.end();
  });

  it('migrates, loads demo data, prints the demo key and serves it in GraphiQL; stops on SIGTERM', async () => {
    const admin = await createAdminClient(serverUrl);
    await admin.query(`create database "${database}"`);
    await admin.end();
    const started = await startMain({ DATABASE_URL: databaseUrlFor(serverUrl, database), DEMO_API_KEY: demoKey });
    child = started.child;
    expect(started.output()).toContain(demoKey);
    expect(started.output()).toContain("also in GraphiQL's headers");

    const page = await fetch(started.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain(demoKey);

    const response = await fetch(started.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': demoKey },
      body: JSON.stringify({
        query: `{ competition(code: "premier-league") { name seasons { label } }
                  matches(filter: { status: SCHEDULED }) { totalCount } }`,
      }),
    });
    const { data } = (await response.json()) as {
      data: { competition: { name: string; seasons: { label: string }[] }; matches: { totalCount: number } };
    };
    expect(data.competition.name).toBe('Premier League');
    expect(data.competition.seasons.map((s) => s.label)).toEqual(
      expect.arrayContaining(['2022/23', '2023/24', '2024/25', '2025/26']),
    );
    expect(data.matches.totalCount).toBe(10);

    // The printed key is the demo OWNER's, with the platform scopes; a second tenant has its own.
    const viewerOf = async (key: string) => {
      const answer = await fetch(started.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ query: '{ viewer { role scopes tenant { slug } } }' }),
      });
      return ((await answer.json()) as { data: { viewer: unknown } }).data.viewer;
    };
    expect(await viewerOf(demoKey)).toEqual({
      role: 'OWNER',
      scopes: ['OPERATOR', 'INGEST'],
      tenant: { slug: 'demo' },
    });
    const otherKey = /demo-rival\\?" OWNER API key[^:]*: (mc_[\w-]+)/.exec(started.output())?.[1];
    expect(await viewerOf(otherKey!)).toEqual({ role: 'OWNER', scopes: [], tenant: { slug: 'demo-rival' } });

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;

    // Restarted in production with another demo key: the old key stops working, and the
    // explorer no longer hands the key to whoever opens it.
    const newKey = `mc_demo_${unique()}${unique()}`;
    const restarted = await startMain({
      DATABASE_URL: databaseUrlFor(serverUrl, database),
      DEMO_API_KEY: newKey,
      NODE_ENV: 'production',
      SEED_DEMO: 'true',
      METRICS_PORT: '0',
    });
    child = restarted.child;
    const explorer = await fetch(restarted.url, { headers: { accept: 'text/html' } });
    expect(await explorer.text()).not.toContain(newKey);
    expect(restarted.output()).not.toContain("also in GraphiQL's headers");
    expect(restarted.output()).not.toContain('live demo');
    const ask = async (key: string) => {
      const answer = await fetch(restarted.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ query: '{ competitions { code } }' }),
      });
      return (await answer.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] };
    };
    expect((await ask(demoKey)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await ask(newKey)).data).toEqual({ competitions: [{ code: 'premier-league' }] });
  }, 120_000);

  it('keeps simulated matches live in development, so liveFeed moves within a minute of starting', async () => {
    const liveDatabase = `${database}_live`;
    const admin = await createAdminClient(serverUrl);
    await admin.query(`create database "${liveDatabase}"`);
    await admin.end();
    const started = await startMain({
      DATABASE_URL: databaseUrlFor(serverUrl, liveDatabase),
      DEMO_API_KEY: demoKey,
      NODE_ENV: 'development',
    });
    const since = Date.now();
    const ws = new GraphqlClient(started.url, demoKey).websocket();
    const feed = new Subscription(ws, LiveFeedDocument, {});
    try {
      const types = () => new Set(feed.events.map((e) => e.liveFeed.__typename));
      while (!(types().has('MatchEventRecorded') && types().has('PricesMoved')) && Date.now() - since < 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect([...types()]).toEqual(expect.arrayContaining(['MatchEventRecorded', 'PricesMoved']));
      expect(feed.events[0]!.liveFeed.match.status).toBe('LIVE');
    } finally {
      feed.close();
      await ws.dispose();
      started.child.kill('SIGKILL');
      const cleanup = await createAdminClient(serverUrl);
      await cleanup.query(`drop database if exists "${liveDatabase}" with (force)`);
      await cleanup.end();
    }
  }, 120_000);
});
