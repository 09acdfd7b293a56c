import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createOrm, type Orm } from '../../src/db/orm';
import { PipelinedTransaction } from '../../src/db/pipelined-transaction';

const databaseUrl = inject('databaseUrl');
const TABLE = `pipelined_probe_${process.pid}`;
const LATER_TABLE = `pipelined_later_${process.pid}`;

describe('a transaction in two round trips', () => {
  let orm: Orm;
  let other: Client;
  const roundTrips: string[] = [];
  const statements: string[] = [];

  beforeAll(async () => {
    orm = await createOrm({ databaseUrl, onQuery: (sql) => statements.push(sql) });
    // Every query the pool's connections are sent: one per round trip.
    const client = orm.em.getConnection().getKnex().client;
    const acquire = client.acquireConnection.bind(client);
    client.acquireConnection = async () => {
      const connection = await acquire();
      if (!connection.countedQueries) {
        const query = connection.query.bind(connection);
        connection.query = (config: { text?: string } | string, ...rest: unknown[]) => {
          roundTrips.push(typeof config === 'string' ? config : (config.text ?? ''));
          return query(config, ...rest);
        };
        connection.countedQueries = true;
      }
      return connection;
    };
    other = new Client({ connectionString: databaseUrl });
    await other.connect();
  });
  afterAll(async () => {
    await other?.query(`drop table if exists ${TABLE}, ${LATER_TABLE}`);
    await other?.end();
    await orm?.close();
  });
  beforeEach(async () => {
    await other.query(`drop table if exists ${TABLE}; create table ${TABLE} (id int primary key, n int not null)`);
    await other.query(`insert into ${TABLE} values (1, 0)`);
    roundTrips.length = 0;
    statements.length = 0;
  });
  afterEach(async () => {
    // Whatever a test left, the pool's connection is not inside a transaction.
    expect(await orm.em.getConnection().execute('select 1 as one')).toEqual([{ one: 1 }]);
  });

  const em = () => orm.em.fork() as EntityManager;
  const valueOf = async () => (await other.query(`select n from ${TABLE} where id = 1`)).rows[0].n as number;

  it('holds its first statement’s lock until the last statement commits, in two round trips', async () => {
    const { transaction, rows } = await PipelinedTransaction.begin<{ n: number }>(
      em(),
      `select n from ${TABLE} where id = $1 for update`,
      [1],
    );
    try {
      expect(rows).toEqual([{ n: 0 }]);
      // BEGIN ran with it: the row stays locked after the statement.
      await expect(other.query(`select n from ${TABLE} where id = 1 for update nowait`)).rejects.toMatchObject({
        code: '55P03',
      });
      expect(await transaction.commitWith(`update ${TABLE} set n = $1 where id = 1 returning n`, [5])).toEqual([
        { n: 5 },
      ]);
    } finally {
      await transaction.end();
    }
    expect((await other.query(`select n from ${TABLE} where id = 1 for update nowait`)).rows).toEqual([{ n: 5 }]);
    expect(roundTrips).toHaveLength(2);
    // Reported as MikroORM reports its own transactions.
    expect(statements.filter((sql) => ['begin', 'commit', 'rollback'].includes(sql))).toEqual(['begin', 'commit']);
  });

  it('rolls everything back when the last statement fails, with the error as MikroORM gives it', async () => {
    const { transaction } = await PipelinedTransaction.begin(em(), `update ${TABLE} set n = n + $1 where id = 1`, [1]);
    try {
      await expect(transaction.commitWith(`insert into ${TABLE} values ($1, 0)`, [1])).rejects.toBeInstanceOf(
        UniqueConstraintViolationException,
      );
    } finally {
      await transaction.end();
    }
    expect(await valueOf()).toBe(0);
  });

  it('rolls back when it ends without the last statement', async () => {
    const { transaction } = await PipelinedTransaction.begin(em(), `update ${TABLE} set n = n + $1 where id = 1`, [1]);
    expect(await transaction.rows(`select n from ${TABLE} where id = $1`, [1])).toEqual([{ n: 1 }]);
    await transaction.end();
    expect(await valueOf()).toBe(0);
    expect(statements.filter((sql) => ['begin', 'commit', 'rollback'].includes(sql))).toEqual(['begin', 'rollback']);
  });

  it('sends a statement whose first use failed with its text again, on a connection that knows it', async () => {
    const sql = `select count(*)::int as rows from ${LATER_TABLE} where $1::int > 0`;
    await expect(PipelinedTransaction.begin(em(), sql, [1])).rejects.toMatchObject({ code: '42P01' });
    await other.query(`create table ${LATER_TABLE} (id int)`);
    const { transaction, rows } = await PipelinedTransaction.begin(em(), sql, [1]);
    await transaction.end();
    expect(rows).toEqual([{ rows: 0 }]);
  });
});
