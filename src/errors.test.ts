import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter, NotFoundError } from './errors';

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
    const { result, logged } = format(new NotFoundError('Match', 7), true);
    expect(result).toEqual({ message: 'Match 7 was not found', extensions: { code: 'NOT_FOUND' } });
    expect(logged).toEqual([]);
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
