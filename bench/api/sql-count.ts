import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import { BENCH_DATABASE } from './bench-database';

export const SQL_COUNT_METHOD =
  'SQL statements per operation ≈ increase of xact_commit of the bench database (pg_stat_database) over ' +
  'sequential requests ÷ requests; each statement outside a transaction is one commit, a transaction of ' +
  'several statements counts once';

export const SQL_COUNT_REQUESTS = 50;
/**
 * PostgreSQL 15 backends hold counters for up to 10 s (PGSTAT_IDLE_INTERVAL) when they flushed less
 * than a second earlier: wait for those before reading.
 */
const STATS_FLUSH_WAIT_MS = 11_000;
/** A reading commits three transactions of its own: one before the requests' are read, two after. */
const OWN_COMMITS = 3;

/** Lets counters that backends still hold reach pg_stat_database (call once after other traffic). */
export function waitForStatistics(): Promise<void> {
  return sleep(STATS_FLUSH_WAIT_MS);
}

/** Approximate statements per request; `send` makes one request. */
export async function statementsPerOperation(client: Client, send: () => Promise<void>): Promise<number> {
  const before = await committedTransactions(client);
  for (let i = 0; i < SQL_COUNT_REQUESTS; i += 1) await send();
  await waitForStatistics();
  const after = await committedTransactions(client);
  return (after - before - OWN_COMMITS) / SQL_COUNT_REQUESTS;
}

async function committedTransactions(client: Client): Promise<number> {
  await client.query('select pg_stat_clear_snapshot()');
  // Counters of this client's own statements, so that the count above is exact.
  await client.query('select pg_stat_force_next_flush()');
  const { rows } = await client.query<{ commits: string }>(
    'select xact_commit as commits from pg_stat_database where datname = $1',
    [BENCH_DATABASE],
  );
  return Number(rows[0]!.commits);
}
