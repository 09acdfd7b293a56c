import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import { Query, type QueryResult } from 'pg';
import { namedStatement, type PgConnection } from './prepared';

/**
 * A transaction in two round trips instead of four: `BEGIN` travels with its first statement and
 * `COMMIT` with its last, in one extended-protocol pipeline each (one Sync, so the server runs
 * them in order and skips the rest of a pipeline after an error). node-postgres sends one query
 * per round trip, and under load each round trip is a wake-up of both processes: on the
 * one-event ingest path they were most of its cost.
 *
 * The connection comes from the ORM's knex pool; statements are reported to knex's `query`
 * listeners and MikroORM's query log as those of an ORM transaction are.
 */
export class PipelinedTransaction {
  private open = true;

  private constructor(
    private readonly em: EntityManager,
    private readonly pg: PgConnection,
  ) {}

  /** Opens a transaction with its first statement (`$n` parameters); answers its rows. */
  static async begin<Row>(
    em: EntityManager,
    sql: string,
    params: readonly unknown[],
  ): Promise<{ transaction: PipelinedTransaction; rows: Row[] }> {
    const pg = (await knexOf(em).client.acquireConnection()) as PgConnection;
    const transaction = new PipelinedTransaction(em, pg);
    try {
      const rows = await transaction.run<Row>(sql, params, 'BEGIN', null);
      return { transaction, rows };
    } catch (error) {
      await transaction.end();
      throw error;
    }
  }

  /** A statement inside the transaction (or, once committed, on its own). */
  rows<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    return this.run<Row>(sql, params, null, null);
  }

  /** The transaction's last statement, committed with it; an error leaves it to `end` to roll back. */
  async commitWith<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    const rows = await this.run<Row>(sql, params, null, 'COMMIT');
    this.open = false;
    return rows;
  }

  /** Rolls back what was not committed and hands the connection back: call it in a `finally`. */
  async end(): Promise<void> {
    const client = knexOf(this.em).client as Knex.Client;
    try {
      if (this.open) {
        this.open = false;
        this.report('rollback');
        await this.pg.query('ROLLBACK');
      }
    } catch (error) {
      // A connection that cannot roll back is not handed out again.
      this.pg.__knex__disposed = error;
    } finally {
      await client.releaseConnection(this.pg);
    }
  }

  private async run<Row>(
    sql: string,
    params: readonly unknown[],
    before: 'BEGIN' | null,
    after: 'COMMIT' | null,
  ): Promise<Row[]> {
    const connection = this.em.getConnection();
    const started = Date.now();
    if (before) this.report('begin');
    knexOf(this.em).client.emit('query', { sql, bindings: params });
    let query = null as PipelinedQuery | null;
    try {
      const results = await new Promise<QueryResult | QueryResult[]>((resolve, reject) => {
        query = new PipelinedQuery(
          { name: namedStatement(connection, sql), text: sql, values: [...params] },
          { before, after },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
        void this.pg.query(query);
      });
      const rows = (Array.isArray(results) ? results[before ? 1 : 0]! : results).rows as Row[];
      connection['logQuery'](sql, { took: Date.now() - started, results: rows.length });
      if (after) this.report('commit');
      return rows;
    } catch (error) {
      connection['logQuery'](sql, { took: Date.now() - started, level: 'error' });
      // pg marks a name parsed on any ParseComplete of a pipeline (BEGIN's among them), so after
      // a failed first use it may believe in a statement the server never made: not reused.
      if (query?.parsedHere) this.pg.__knex__disposed = error;
      // A database error as MikroORM's (a unique violation among them); anything else as it is.
      const code = (error as { code?: unknown }).code;
      throw typeof code === 'string' ? this.em.getDriver().convertException(error as Error) : error;
    }
  }

  // begin, commit and rollback, as MikroORM's own transactions report them.
  private report(sql: string): void {
    knexOf(this.em).client.emit('query', { sql, bindings: [] });
    this.em.getConnection()['logQuery'](sql);
  }
}

function knexOf(em: EntityManager): Knex {
  return em.getConnection().getKnex();
}

interface PgMessages {
  parsedStatements: Record<string, string>;
  parse(message: { text: string; name?: string; types?: unknown[] }): void;
  bind(message: { portal?: string; statement?: string; values?: unknown[]; valueMapper?: unknown }): void;
  execute(message: { portal?: string; rows?: number }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  sync(): void;
}

interface QueryInternals {
  name?: string;
  text: string;
  values: unknown[];
  hasBeenParsed(connection: PgMessages): boolean;
  handleError(error: Error, connection: PgMessages): void;
}

/**
 * pg's query with an argument-less statement before and after it in the same pipeline. pg's own
 * `prepare` sends Parse (once per connection for a named statement), Bind, Describe, Execute and
 * Sync; this sends the others' Parse, Bind and Execute around them before the one Sync.
 */
class PipelinedQuery extends Query {
  private parsedBefore = true;
  private readonly before: string | null;
  private readonly after: string | null;

  constructor(
    config: { name: string | undefined; text: string; values: unknown[] },
    around: { before: string | null; after: string | null },
    callback: (error: Error | undefined, result: QueryResult | QueryResult[]) => void,
  ) {
    super(config, callback as never);
    this.before = around.before;
    this.after = around.after;
  }

  prepare(connection: PgMessages): void {
    const self = this as unknown as QueryInternals;
    if (this.before) simpleStatement(connection, this.before);
    this.parsedBefore = !!self.name && self.hasBeenParsed(connection);
    if (!this.parsedBefore) connection.parse({ text: self.text, name: self.name });
    try {
      connection.bind({ statement: self.name, values: self.values, valueMapper: prepareValue });
    } catch (error) {
      self.handleError(error as Error, connection);
      return;
    }
    connection.describe({ type: 'P', name: '' });
    connection.execute({ portal: '' });
    if (this.after) simpleStatement(connection, this.after);
    connection.sync();
  }

  /** Whether the statement was sent with its text (its Parse may be what failed). */
  get parsedHere(): boolean {
    return !this.parsedBefore;
  }
}

function simpleStatement(connection: PgMessages, sql: string): void {
  connection.parse({ text: sql });
  connection.bind({});
  connection.execute({});
}

// pg's own mapping of JavaScript values to parameters (dates, arrays, JSON, buffers).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepareValue = (require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown }).prepareValue;
