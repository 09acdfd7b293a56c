import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors';
import { createLogger } from '../logger';
import { errorLogOverHttp } from './operation-log';

async function logLinesFor(error: GraphQLError): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  const plugin = errorLogOverHttp(logger, true);
  const listener = await plugin.requestDidStart!({} as never);
  await listener!.didEncounterErrors!({ errors: [error], contextValue: { requestId: 'req-7' } } as never);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('errorLogOverHttp', () => {
  it("logs an error that carries no code (graphql-jit's null in a non-null field) as unexpected, with the request id", async () => {
    const lines = await logLinesFor(new GraphQLError('Cannot return null for non-nullable field Match.homeTeam.'));
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'unexpected GraphQL error', requestId: 'req-7', level: 50 }),
    ]);
  });

  it('does not log what the client got wrong', async () => {
    const notFound = new NotFoundError('Match', 1);
    const lines = await logLinesFor(new GraphQLError(notFound.message, { originalError: notFound }));
    expect(lines).toEqual([]);
  });
});
