import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';

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
