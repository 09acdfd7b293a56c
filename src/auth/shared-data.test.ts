import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readsSharedDataOnly } from './shared-data';

const sdl = fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');
// A tenant-private type beside the platform's, as tenancy will add: it must never be shared.
const schema = buildSchema(`${sdl}
  type Watchlist implements Node { id: ID! name: String! }
  extend type Query { watchlists: [Watchlist!]! }`);
const shared = (query: string, operationName?: string) => readsSharedDataOnly(schema, parse(query), operationName);

describe('readsSharedDataOnly', () => {
  it('accepts queries of platform data, fragments and __typename included', () => {
    expect(shared('{ competitions { code seasons { label } } }')).toBe(true);
    expect(
      shared(`query Q { matches(first: 5) { edges { node { ...M __typename } } } }
              fragment M on Match { homeTeam { name } odds { prices } latestPrediction { homeWin } }`),
    ).toBe(true);
  });

  it('refuses mutations, introspection and any private field', () => {
    expect(shared('mutation { refreshPredictions(competition: "x") { competition } }')).toBe(false);
    expect(shared('{ __schema { types { name } } }')).toBe(false);
    expect(shared('{ watchlists { name } }')).toBe(false);
    expect(shared('{ competitions { code } watchlists { id } }')).toBe(false);
  });

  it('refuses node(id) selections once a private type implements Node', () => {
    expect(shared('query N($id: ID!) { node(id: $id) { id } }')).toBe(false);
    expect(shared('query N($id: ID!) { node(id: $id) { ... on Match { kickoff } } }')).toBe(false);
  });

  it('judges the operation that runs', () => {
    const document =
      'query A { competitions { code } } mutation B { refreshPredictions(competition: "x") { competition } }';
    expect(shared(document, 'A')).toBe(true);
    expect(shared(document, 'B')).toBe(false);
  });
});
