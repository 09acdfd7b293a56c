import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import type { QueryResult, Submittable } from 'pg';

/**
 * Named prepared statements for the hot read path. MikroORM's `execute` inlines parameters into
 * the SQL text and sends it as a simple query, so PostgreSQL parses and plans every request's
 * statement anew: for a match's detail, planning took longer than running it (0.25 ms against
 * 0.21 ms, warm backend). Here the statement is sent once per pooled connection under a name and
 * later only bound and executed (pg's `name`); parameters travel apart from the text.
 *
 * Statements go through the same knex pool (or the transaction's connection), and are reported
 * to knex's `query` listeners and MikroORM's query log like any other.
 */

/** Distinct statement texts given a name per process; others run unnamed (parsed each time). */
const MAX_NAMED_STATEMENTS = 256;

export interface PgConnection {
  query(config: { name?: string; text: string; values: unknown[] } | string): Promise<QueryResult>;
  /** A submittable (pg's `Query`): answered through its callback. */
  query(submittable: Submittable): unknown;
  /** knex's mark: a marked connection is destroyed instead of handed out again. */
  __knex__disposed?: unknown;
}

/**
 * A named statement the server no longer has as pg remembers it: its result type changed under
 * it (0A000 "cached plan must not change result type", after a migration), or it was deallocated
 * (26000, by a pooler or DISCARD ALL).
 */
const STALE_STATEMENT = new Set(['0A000', '26000']);

class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(readonly enabled: boolean) {}

  /** The statement's name on every connection, or undefined when it runs unnamed. */
  nameOf(sql: string): string | undefined {
    if (!this.enabled) return undefined;
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < MAX_NAMED_STATEMENTS) {
      name = `mc_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

// Per MikroORM connection (one per ORM, shared by its forks): names are per process and pool.
const registries = new WeakMap<object, StatementNames>();

/** Turns named statements on or off for an ORM's connection (`DB_PREPARED_STATEMENTS`). */
export function usePreparedStatements(connection: object, enabled: boolean): void {
  registries.set(connection, new StatementNames(enabled));
}

function namesOf(connection: object): StatementNames {
  let names = registries.get(connection);
  if (!names) {
    names = new StatementNames(true);
    registries.set(connection, names);
  }
  return names;
}

/** The statement's name on the connections of `connection` (an ORM's), or undefined: unnamed. */
export function namedStatement(connection: object, sql: string): string | undefined {
  return namesOf(connection).nameOf(sql);
}

/**
 * Runs one read statement with `$1`-style parameters and returns its rows as the driver gives
 * them: a named prepared statement unless `DB_PREPARED_STATEMENTS` is off.
 */
export async function selectPrepared<Row>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Row[]> {
  const connection = em.getConnection();
  const knex = connection.getKnex();
  const transaction = em.getTransactionContext<Knex.Transaction>();
  // knex's own guard: a finished transaction's connection may already serve someone else.
  if (transaction?.isCompleted()) throw new Error('Transaction query already complete');
  const client = (transaction ?? knex).client as Knex.Client;
  const started = Date.now();
  knex.client.emit('query', { sql, bindings: params });
  const pg = (await client.acquireConnection()) as PgConnection;
  try {
    const name = namedStatement(connection, sql);
    const values = [...params];
    let result: QueryResult;
    try {
      result = await pg.query({ name, text: sql, values });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (!name || transaction || typeof code !== 'string' || !STALE_STATEMENT.has(code)) throw error;
      // pg would go on sending the stale name on this connection: answer unnamed, and let the
      // pool replace the connection.
      pg.__knex__disposed = error;
      result = await pg.query({ text: sql, values });
    }
    connection['logQuery'](sql, { took: Date.now() - started, results: result.rows.length });
    return result.rows as Row[];
  } catch (error) {
    connection['logQuery'](sql, { took: Date.now() - started, level: 'error' });
    throw error;
  } finally {
    await client.releaseConnection(pg);
  }
}
