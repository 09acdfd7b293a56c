import parsePostgresDate from 'postgres-date';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs one read statement and returns its rows as the driver gives them (no hydration). Goes
 * through MikroORM's connection, so statements are logged and counted like any other.
 */
export function selectRows<Row>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(sql, [...params], 'all', em.getTransactionContext());
}

/** A DataLoader batch function: one statement whose single `?` takes the batch's keys. */
export function selectByKeys<Row, View>(em: EntityManager, sql: string, toView: (row: Row) => View) {
  return async (keys: readonly unknown[]): Promise<View[]> => (await selectRows<Row>(em, sql, [keys])).map(toView);
}

/**
 * A `timestamptz` column as a Date. MikroORM makes the driver return timestamps as text (it
 * converts them itself on hydration), so rows read here parse them the same way the driver would.
 */
export function timestampOf(text: string): Date {
  // ISO 8601 (from JSON snapshots) or PostgreSQL's own output format.
  const parsed = text.includes('T') ? new Date(text) : parsePostgresDate(text);
  if (!(parsed instanceof Date) || Number.isNaN(parsed.getTime())) throw new Error(`not a timestamp: ${text}`);
  return parsed;
}

export function nullableTimestampOf(text: string | null): Date | null {
  return text === null ? null : timestampOf(text);
}

/**
 * Whole numbers as one PostgreSQL array parameter (`= any(?::int[])`): through `selectRows` an
 * array parameter would be spread into a list instead.
 */
export function intArrayParameter(values: Iterable<number>): string {
  return `{${[...values].map((value) => Math.trunc(value)).join(',')}}`;
}
