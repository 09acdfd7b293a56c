import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { startFailure } from '../../src/db/embedded-postgres-checks';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-embedded-'));
fs.chmodSync(dir, 0o755);
const dataDir = path.join(dir, 'data');
const logger = pino({ level: 'silent' });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select count(*)::int as n from demo')).rows[0].n as number;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its data across restarts, shares a running server and recovers from a stale pid file', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dir: dataDir, port, database: 'matchcast', logger });
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query('create table demo (id int); insert into demo values (1), (2)');
    await client.end();

    // A second process (e.g. `npm run import` beside `npm start`) uses the running server.
    const attached = await startEmbeddedPostgres({
      dir: dataDir,
      port: await freePort(),
      database: 'matchcast',
      logger,
    });
    expect(attached.url).toBe(first.url);
    expect(await selectOne(attached.url)).toBe(2);
    await attached.stop();
    expect(await selectOne(first.url)).toBe(2);
    await first.stop();

    // A killed server leaves postmaster.pid behind; a dead pid in it must not block the start.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${deadPid}\n${dataDir}\n`);
    const second = await startEmbeddedPostgres({ dir: dataDir, port, database: 'matchcast', logger });
    try {
      expect(await selectOne(second.url)).toBe(2);
    } finally {
      await second.stop();
    }
  }, 60_000);
});

/** A server holding a loopback port, as another checkout's PostgreSQL would. */
async function occupiedPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('embedded PostgreSQL start-up failures', () => {
  it('names EMBEDDED_PG_PORT when its port is taken, and `npm start` prints that instead of undefined', async () => {
    const taken = await occupiedPort();
    try {
      await expect(
        startEmbeddedPostgres({ dir: path.join(dir, 'taken'), port: taken.port, database: 'matchcast', logger }),
      ).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${taken.port}.*already in use.*Set EMBEDDED_PG_PORT`));

      const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(dir, 'main'), LOG_LEVEL: 'warn' };
      env.EMBEDDED_PG_PORT = String(taken.port);
      delete env.DATABASE_URL;
      delete env.NODE_ENV;
      const run = spawnSync('npm', ['start'], {
        cwd: path.resolve(__dirname, '../..'),
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Set EMBEDDED_PG_PORT to a free port`);
      expect(run.stderr).not.toMatch(/^undefined$/m);
    } finally {
      await taken.release();
    }
  }, 60_000);

  it('names EMBEDDED_PG_PORT when the server itself finds the port taken (taken after the check)', () => {
    const log = [
      'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
      'FATAL:  could not create any TCP/IP sockets',
    ];
    expect(startFailure(undefined, log, 54329).message).toMatch(/127\.0\.0\.1:54329.*Set EMBEDDED_PG_PORT/);
    expect(startFailure(undefined, ['FATAL:  data directory has wrong ownership'], 54329).message).toContain(
      'data directory has wrong ownership',
    );
  });

  // As root, initdb runs as the `postgres` user, which cannot enter a 0700 directory of root's.
  it.skipIf(process.getuid?.() !== 0)(
    'names EMBEDDED_PG_DIR and the closed directory when, as root, the data directory sits in a 0700 one',
    async () => {
      const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-closed-'));
      fs.chmodSync(closed, 0o700);
      try {
        const failure = startEmbeddedPostgres({
          dir: path.join(closed, 'postgres'),
          port: await freePort(),
          database: 'matchcast',
          logger,
        });
        await expect(failure).rejects.toThrow(
          `EMBEDDED_PG_DIR=${path.join(closed, 'postgres')}: running as root, the embedded PostgreSQL runs as the system user "postgres", which cannot enter ${closed} (mode 0700)`,
        );
      } finally {
        fs.rmSync(closed, { recursive: true, force: true });
      }
    },
  );
});
