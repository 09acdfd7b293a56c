import { ApolloServer } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppMetrics } from './app-metrics';
import { deprecatedUsages } from './deprecated-usage';
import { graphqlMetricsPlugin, recordDeprecatedUsage, recordOperation } from './graphql.plugin';

const typeDefs = `
  enum Kind { GOAL, OWN_GOAL @deprecated(reason: "2026-12-07: GOAL with ownGoal") }
  type Match {
    id: ID!
    score: String @deprecated(reason: "2026-12-07: homeGoals and awayGoals")
    homeGoals: Int
  }
  type Query {
    match(id: ID!, legacyId: Int @deprecated(reason: "2026-12-07: id")): Match
    matches: [Match!]! @deprecated(reason: "2026-12-07: matchList")
    events(kind: Kind): [String!]!
  }
`;
const schema = buildSchema(typeDefs);

describe('deprecated usage', () => {
  it('names each deprecated field, argument and enum value a document uses, through fragments, once', () => {
    const document = parse(`
      query Old { match(id: 1, legacyId: 2) { ...M } matches { score } events(kind: OWN_GOAL) }
      fragment M on Match { id score homeGoals }
    `);
    expect(deprecatedUsages(schema, document)).toEqual([
      'Kind.OWN_GOAL',
      'Match.score',
      'Query.match(legacyId)',
      'Query.matches',
    ]);
    expect(deprecatedUsages(schema, parse('{ match(id: 1) { id homeGoals } events(kind: GOAL) }'))).toEqual([]);
  });

  it('counts them per operation name in the Prometheus families, on every request', async () => {
    const metrics = new AppMetrics({ tenantLabels: false });
    const server = new ApolloServer({
      typeDefs,
      resolvers: {
        Query: { match: () => ({ id: '1', score: '1-0', homeGoals: 1 }), matches: () => [], events: () => [] },
      },
      plugins: [graphqlMetricsPlugin(metrics)],
    });
    await server.start();
    try {
      for (let i = 0; i < 2; i++) await server.executeOperation({ query: 'query Legacy { match(id: 1) { score } }' });
      await server.executeOperation({ query: 'query Current { match(id: 1) { homeGoals } }' });
    } finally {
      await server.stop();
    }
    const text = await metrics.scrape();
    expect(text).toContain('matchcast_graphql_deprecated_usage_total{field="Match.score",operation="Legacy"} 2');
    expect(text).not.toMatch(/deprecated_usage_total\{[^}]*operation="Current"/);
  });

  it('counts operations answered outside Apollo too: cached answers, WebSocket queries and subscriptions', async () => {
    const metrics = new AppMetrics({ tenantLabels: false });
    metrics.useSchema(buildSchema(typeDefs));
    const legacy = parse('query Legacy { match(id: 1) { score } }');
    // A cached answer and a query over WebSocket, as cachedResponses and the WebSocket server record them.
    recordOperation(metrics, 'Legacy', 'query', 0.001, [], legacy);
    recordOperation(metrics, 'Legacy', 'query', 0.002, [], legacy);
    recordOperation(metrics, 'Untracked', 'query', 0.001);
    recordDeprecatedUsage(metrics, parse('{ matches { id } }'), undefined);
    const text = await metrics.scrape();
    expect(text).toContain('matchcast_graphql_deprecated_usage_total{field="Match.score",operation="Legacy"} 2');
    expect(text).toContain('matchcast_graphql_deprecated_usage_total{field="Query.matches",operation="anonymous"} 1');
  });
});
