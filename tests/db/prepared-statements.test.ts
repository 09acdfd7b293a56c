import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrm, type Orm } from '../../src/db/orm';
import { selectPrepared } from '../../src/db/prepared';
import { selectRows } from '../../src/db/select';

const databaseUrl = inject('databaseUrl');
const SQUARES = 'select x, x * x as square from unnest($1::int[]) as x order by x';

/** The named statements of the connection a transaction holds, after running `work` on it. */
async function namedStatementsAfter(orm: Orm, work: (em: EntityManager) => Promise<unknown>): Promise<string[]> {
  return orm.em.fork().transactional(async (em) => {
    await work(em as EntityManager);
    const rows = await selectRows<{ statement: string }>(
      em as EntityManager,
      "select statement from pg_prepared_statements where name like 'mc\\_%'",
    );
    return rows.map((row) => row.statement);
  });
}

describe('prepared statements', () => {
  let prepared: Orm;
  let unprepared: Orm;
  beforeAll(async () => {
    prepared = await createOrm({ databaseUrl });
    unprepared = await createOrm({ databaseUrl, preparedStatements: false });
  });
  afterAll(async () => {
    await prepared?.close();
    await unprepared?.close();
  });

  it('keeps a hot read as a named statement on its connection, and answers as before', async () => {
    const statements = await namedStatementsAfter(prepared, async (em) => {
      expect(await selectPrepared(em, SQUARES, [[3, 1, 2]])).toEqual([
        { x: 1, square: 1 },
        { x: 2, square: 4 },
        { x: 3, square: 9 },
      ]);
      // Again on the same connection: bound and executed, not prepared twice.
      expect(await selectPrepared(em, SQUARES, [[5]])).toEqual([{ x: 5, square: 25 }]);
    });
    expect(statements).toEqual([SQUARES]);
  });

  it('sends the same statement unnamed with DB_PREPARED_STATEMENTS off', async () => {
    const statements = await namedStatementsAfter(unprepared, async (em) => {
      expect(await selectPrepared(em, SQUARES, [[2]])).toEqual([{ x: 2, square: 4 }]);
    });
    expect(statements).toEqual([]);
  });

  it("passes PostgreSQL's error on with its SQLSTATE, and the pool goes on", async () => {
    const em = prepared.em.fork() as EntityManager;
    await expect(selectPrepared(em, 'select 1 / $1::int as n', [0])).rejects.toMatchObject({ code: '22012' });
    await expect(selectPrepared(em, 'select $1::int as n', ['not a number'])).rejects.toMatchObject({
      code: '22P02',
    });
    expect(await selectPrepared(em, 'select 1 / $1::int as n', [1])).toEqual([{ n: 1 }]);
  });

  it('answers when the server forgot the statement (DISCARD ALL, a pooler), and the pool replaces that connection', async () => {
    const em = prepared.em.fork() as EntityManager;
    const knexClient = em.getConnection().getKnex().client as {
      acquireConnection(): Promise<{ query(sql: string): Promise<unknown>; processID: number }>;
      releaseConnection(connection: unknown): Promise<void>;
    };
    // One idle connection in the pool: the statement is prepared on it, then forgotten by the server.
    await selectPrepared(em, SQUARES, [[1]]);
    const connection = await knexClient.acquireConnection();
    const backend = connection.processID;
    await connection.query('deallocate all');
    await knexClient.releaseConnection(connection);

    expect(await selectPrepared(em, SQUARES, [[4]])).toEqual([{ x: 4, square: 16 }]);
    const next = await knexClient.acquireConnection();
    expect(next.processID).not.toBe(backend);
    await knexClient.releaseConnection(next);
    expect(await selectPrepared(em, SQUARES, [[3]])).toEqual([{ x: 3, square: 9 }]);
  });

  it('refuses to run on a transaction that has finished', async () => {
    let finished: EntityManager | undefined;
    await prepared.em.fork().transactional(async (em) => {
      finished = em as EntityManager;
    });
    await expect(selectPrepared(finished!, SQUARES, [[1]])).rejects.toThrow(/already complete/);
  });

  it('reports each statement to the query log, as MikroORM does', async () => {
    const seen: string[] = [];
    const orm = await createOrm({ databaseUrl, onQuery: (sql) => seen.push(sql) });
    try {
      await selectPrepared(orm.em.fork() as EntityManager, SQUARES, [[1]]);
    } finally {
      await orm.close();
    }
    expect(seen).toContain(SQUARES);
  });
});
