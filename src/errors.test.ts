import { GraphQLError, parse, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter, LimitExceededError, NotFoundError } from './errors';

function format(error: GraphQLError, maskUnexpected: boolean) {
  const logged: unknown[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const formatted: GraphQLFormattedError = {
    ...error.toJSON(),
    extensions: { ...error.extensions, stacktrace: ['at secret (/srv/app.js:1:1)'] },
  };
  return { result: createErrorFormatter({ logger, maskUnexpected })(formatted, error), logged };
}

describe('error formatter', () => {
  it('passes expected errors through with their code and without a stack trace', () => {
    const { result, logged } = format(new NotFoundError('Match', 'TWF0Y2g6Nw'), true);
    expect(result).toEqual({ message: 'Match TWF0Y2g6Nw was not found', extensions: { code: 'NOT_FOUND' } });
    expect(logged).toEqual([]);
  });

  it('shows no SQL of a database error in development, where other unexpected messages show', () => {
    // As knex and MikroORM report it: the statement before pg's message, the SQLSTATE beside.
    const driverError = Object.assign(new Error('select * from tenant where id = $1 - integer out of range'), {
      sqlState: '22003',
      previous: Object.assign(new Error('integer out of range'), { code: '22003', severity: 'ERROR' }),
    });
    const { result, logged } = format(new GraphQLError(driverError.message, { originalError: driverError }), false);
    expect(result.message).toBe('Unexpected database error (SQLSTATE 22003); the server log has the details');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(logged)).toContain('select * from tenant');
    const plain = new Error('cannot read properties of undefined');
    expect(format(new GraphQLError(plain.message, { originalError: plain }), false).result.message).toBe(
      'cannot read properties of undefined',
    );
  });

  it('names a row by its global ID, never by its internal number', () => {
    expect(new NotFoundError('Match', 1523).message).toBe('Match TWF0Y2g6MTUyMw was not found');
  });

  it("keeps an expected error's own code when Apollo wraps it (a limit reported as a validation error)", () => {
    const limit = new LimitExceededError('Query depth limit of 12 exceeded, found 13.', 12);
    const wrapped = new GraphQLError(limit.message, {
      originalError: limit,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
    expect(format(wrapped, true).result).toEqual({
      message: 'Query depth limit of 12 exceeded, found 13.',
      extensions: { code: 'LIMIT_EXCEEDED', limit: 12 },
    });
  });

  it('turns graphql-js\'s token limit into LIMIT_EXCEEDED, without the "Syntax Error" wording', () => {
    let syntaxError: GraphQLError | undefined;
    try {
      parse('{ a b c d e }', { maxTokens: 3 });
    } catch (error) {
      syntaxError = error as GraphQLError;
    }
    const apollo = new GraphQLError(syntaxError!.message, {
      originalError: syntaxError,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(format(apollo, true).result).toEqual({
      message: 'Token limit of 3 exceeded.',
      extensions: { code: 'LIMIT_EXCEEDED', limit: 3 },
    });
  });

  it('answers a statement cancelled by statement_timeout with TIMEOUT, not a masked 500', () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    const error = new GraphQLError(cancelled.message, { originalError: cancelled, path: ['teams'] });
    const { result, logged } = format(error, true);
    expect(result).toMatchObject({ path: ['teams'], extensions: { code: 'TIMEOUT' } });
    expect(result.message).not.toMatch(/statement|canceling/);
    expect(logged).toEqual([]); // a warning, not an error
  });

  it('answers a variable refused by its scalar with BAD_USER_INPUT (graphql-ws does not re-code it as Apollo does)', () => {
    const operation = parse('query Q($n: Int) { a }').definitions[0] as OperationDefinitionNode;
    const node = operation.variableDefinitions![0]!;
    const scalar = new GraphQLError('Int cannot represent non-integer value: "ten"');
    const error = new GraphQLError(`Variable "$n" got invalid value "ten"; ${scalar.message}`, {
      nodes: node,
      originalError: scalar,
    });
    expect(format(error, true).result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('masks an unexpected error in production and logs it', () => {
    const error = new GraphQLError('relation "secret" does not exist', {
      originalError: new Error('relation "secret" does not exist'),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const { result, logged } = format(error, true);
    expect(result).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toHaveLength(1);
  });

  it('shows the message of an unexpected error in development, still without a stack trace', () => {
    const error = new GraphQLError('boom', {
      originalError: new Error('boom'),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(format(error, false).result).toEqual({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('turns type-graphql validation failures into a readable BAD_USER_INPUT', () => {
    const error = new GraphQLError('Argument Validation Error', {
      extensions: {
        code: 'BAD_USER_INPUT',
        validationErrors: [
          {
            property: 'input',
            children: [{ property: 'minute', constraints: { max: 'minute must not be greater than 150' } }],
          },
        ],
      },
    });
    expect(format(error, true).result).toMatchObject({
      message: 'input.minute: minute must not be greater than 150',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
