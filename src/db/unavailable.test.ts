import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a PostgreSQL that is shutting down, starting up, unreachable or out of connections', () => {
    const away = [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006', 'connection failure'),
      pgError('53300', 'sorry, too many clients already'),
      pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      new Error('Connection terminated unexpectedly'),
      new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'),
      // knex puts the statement before pg's message.
      new Error('select 1 from match for update - Client has encountered a connection error and is not queryable'),
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
      // As MikroORM and graphql-js wrap them.
      new ConnectionException(pgError('57P01', 'terminating connection due to administrator command')),
      { message: 'Unexpected error', originalError: { previous: pgError('ECONNRESET', 'read ECONNRESET') } },
    ];
    for (const error of away) expect(isDatabaseUnavailable(error), String((error as Error).message)).toBe(true);
  });

  it('leaves errors of the statement itself alone', () => {
    const mistakes = [
      pgError('23505', 'duplicate key value violates unique constraint'),
      new UniqueConstraintViolationException(pgError('23505', 'duplicate key')),
      pgError('57014', 'canceling statement due to statement timeout'),
      pgError('42P01', 'relation "x" does not exist'),
      new Error('Cannot read properties of undefined'),
      null,
      'Connection terminated',
    ];
    for (const error of mistakes) expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
