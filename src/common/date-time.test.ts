import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { describe, expect, it } from 'vitest';
import { fastDateTimeSerialize } from './date-time';

function scalar() {
  const type = new GraphQLObjectType({ name: 'Query', fields: { at: { type: GraphQLDateTimeISO } } });
  const schema = new GraphQLSchema({ query: type });
  const original = GraphQLDateTimeISO.serialize;
  fastDateTimeSerialize(schema);
  const serialize = (schema.getType('DateTimeISO') as typeof GraphQLDateTimeISO).serialize;
  GraphQLDateTimeISO.serialize = original;
  return serialize;
}

describe('fastDateTimeSerialize', () => {
  const serialize = scalar();

  it("answers as graphql-scalars' DateTimeISO does for dates and PostgreSQL's UTC timestamps", () => {
    const cases: unknown[] = [
      new Date('2026-11-26T12:34:56.789Z'),
      '2026-11-26T12:34:56.789123+00:00',
      '2026-11-26T12:34:56+00:00',
      '2024-02-29T00:00:00Z',
      '2026-11-26T12:34:56.7+02:00',
      1764160496000,
    ];
    for (const value of cases) expect(serialize(value)).toBe(GraphQLDateTimeISO.serialize(value));
  });

  it('refuses what graphql-scalars refuses, with its errors', () => {
    for (const value of ['2026-02-30T00:00:00Z', 'yesterday', new Date(Number.NaN), {}]) {
      expect(() => serialize(value)).toThrow();
      expect(() => GraphQLDateTimeISO.serialize(value)).toThrow();
    }
  });
});
