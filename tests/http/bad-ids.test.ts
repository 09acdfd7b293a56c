import {
  getNamedType,
  isInputObjectType,
  isLeafType,
  isObjectType,
  parse,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { createBareSchema } from '../../src/schema';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { createLeague, createMatches, createMember, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

// Every argument that takes an ID, anywhere in the schema, with the type its ID must name. A new
// ID argument fails the first test until it is listed here (and so is sent bad ids below).
const ID_ARGUMENTS: Record<string, string> = {
  'Query.match(id)': 'Match',
  'Query.team(id)': 'Team',
  'Query.node(id)': 'Match',
  'Query.matches(filter.team)': 'Team',
  'Mutation.createMatch(input.seasonId)': 'Season',
  'Mutation.createMatch(input.homeTeamId)': 'Team',
  'Mutation.createMatch(input.awayTeamId)': 'Team',
  'Mutation.updateMatch(id)': 'Match',
  'Mutation.recordMatchEvent(input.matchId)': 'Match',
  'Mutation.recordMatchEvent(input.teamId)': 'Team',
  'Mutation.ingestMatchEvents(events.matchId)': 'Match',
  'Mutation.cancelMatchEvent(id)': 'MatchEvent',
  'Mutation.correctMatchEvent(id)': 'MatchEvent',
  'Mutation.correctMatchEvent(input.teamId)': 'Team',
  'Mutation.ingestMatchEvents(events.teamId)': 'Team',
  'Mutation.ingestOdds(prices.matchId)': 'Match',
  'Mutation.setTenantPlan(tenantId)': 'Tenant',
  'Mutation.removeMember(id)': 'Member',
  'Mutation.changeMemberRole(id)': 'Member',
  'Mutation.revokeApiKey(id)': 'ApiKey',
  'Mutation.watch(input.teamId)': 'Team',
  'Mutation.watch(input.matchId)': 'Match',
  'Mutation.watch(input.competitionId)': 'Competition',
  'Mutation.unwatch(id)': 'WatchlistItem',
  'Mutation.createAlertRule(input.scope.matchId)': 'Match',
  'Mutation.createAlertRule(input.scope.teamId)': 'Team',
  'Mutation.createAlertRule(input.scope.competitionId)': 'Competition',
  'Mutation.updateAlertRule(id)': 'AlertRule',
  'Mutation.deleteAlertRule(id)': 'AlertRule',
  'Mutation.updateCustomModel(id)': 'CustomModel',
  'Mutation.deleteCustomModel(id)': 'CustomModel',
  'Subscription.matchUpdated(matchId)': 'Match',
  'Subscription.predictionUpdated(matchId)': 'Match',
  'Subscription.liveFeed(filter.competitions)': 'Competition',
  'Subscription.liveFeed(filter.teams)': 'Team',
  'Subscription.liveFeed(filter.matches)': 'Match',
  'Subscription.liveFeed(since.positions.match)': 'Match',
};

/** Ids that name no row: past PostgreSQL's int range, past a safe integer, zero, negative, not an id. */
const badIds = (typeName: string): string[] => [
  toGlobalId(typeName, 2_147_483_648),
  toGlobalId(typeName, '9223372036854775808'),
  toGlobalId(typeName, 0),
  toGlobalId(typeName, -1),
  toGlobalId(typeName, '1e3'),
  'not-an-id',
  '',
];

/** Argument paths of `type` that take an ID (`input.scope.matchId`), through input objects and lists. */
function idPaths(type: GraphQLInputType, prefix: string): string[] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [prefix];
  if (!isInputObjectType(named)) return [];
  return Object.values(named.getFields()).flatMap((field) => idPaths(field.type, `${prefix}.${field.name}`));
}

function idArgumentsOf(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values(type.getFields()).flatMap((field) =>
        field.args.flatMap((arg) => idPaths(arg.type, arg.name).map((path) => `${type.name}.${field.name}(${path})`)),
      ),
    );
}

let t: TestApp;
let schema: GraphQLSchema;
let operator: GraphqlClient;
let league: League;
let matchId: string;

beforeAll(async () => {
  // Development shows unexpected errors' messages: none may carry SQL even there.
  t = await startTestApp({ env: 'development' });
  schema = await createBareSchema();
  league = await createLeague(t.app.orm, 2);
  [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
  // An OWNER with both platform scopes reaches every field past the permission layer.
  const owner = await createMember(t.app.orm, Role.OWNER, { scopes: [Scope.OPERATOR, Scope.INGEST] });
  operator = t.client(owner.apiKey);
});

/** Valid values for the arguments beside the bad id, so the call gets as far as it can. */
function argumentsWith(path: string, id: string): Record<string, unknown> {
  const valid: Record<string, Record<string, unknown>> = {
    createMatch: {
      input: {
        seasonId: league.seasonGid,
        homeTeamId: league.teams[0]!.gid,
        awayTeamId: league.teams[1]!.gid,
        kickoff: '2030-10-01T15:00:00Z',
      },
    },
    updateMatch: { id: matchId, input: { status: 'POSTPONED' } },
    recordMatchEvent: {
      input: { matchId, type: 'GOAL', minute: 10, teamId: league.teams[0]!.gid, externalId: 'bad-ids' },
    },
    ingestMatchEvents: {
      events: [{ matchId, type: 'GOAL', minute: 10, teamId: league.teams[0]!.gid, externalId: 'bad-ids-batch' }],
    },
    ingestOdds: {
      prices: [{ bookmaker: 'bad-ids', market: 'ONE_X_TWO', prices: [2, 3, 4], takenAt: '2026-01-01T00:00:00Z' }],
    },
    correctMatchEvent: { input: { minute: 5 } },
    setTenantPlan: { plan: 'pro' },
    changeMemberRole: { role: 'VIEWER' },
    updateAlertRule: { input: { enabled: false } },
    updateCustomModel: { input: { weights: [1] } },
    createAlertRule: { input: { kind: 'HOME_WIN_ABOVE', threshold: 0.9, scope: {} } },
    watch: { input: {} },
    liveFeed: { since: { positions: [{ sequence: 1 }] } },
  };
  const [, field, argPath] = /^\w+\.(\w+)\((.+)\)$/.exec(path)!;
  const args = structuredClone(valid[field!] ?? {});
  const keys = argPath!.split('.');
  let target: Record<string, unknown> = args;
  for (const key of keys.slice(0, -1)) {
    const next = (target[key] ??= {}) as Record<string, unknown> | Record<string, unknown>[];
    target = Array.isArray(next) ? next[0]! : next;
  }
  target[keys.at(-1)!] = id;
  return args;
}

function documentFor(path: string): string {
  const [, parent, field] = /^(\w+)\.(\w+)\(/.exec(path)!;
  const roots = {
    Query: schema.getQueryType(),
    Mutation: schema.getMutationType(),
    Subscription: schema.getSubscriptionType(),
  } as Record<string, GraphQLObjectType | null | undefined>;
  const definition = roots[parent!]?.getFields()[field!];
  if (!definition) throw new Error(`${path}: not a root field`);
  const variables = definition.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const args = definition.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const leaf = isLeafType(getNamedType(definition.type));
  // A batch answers each item's error in its payload.
  const selection =
    field === 'ingestMatchEvents' ? ' { results { error { code message } } }' : leaf ? '' : ' { __typename }';
  return `${parent!.toLowerCase()} (${variables}) { ${field}(${args})${selection} }`;
}

// SQL keywords in the shape of a statement: `select … from`, `insert into`, `update … set`, `$1`, `::int`.
const SQL =
  /\b(select\b[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|with\s+\w+\s+as\s*\()|\$\d+\b|::\w+/i;

describe('ids that name no row', () => {
  it('lists every ID argument of the schema', () => {
    expect(idArgumentsOf(schema).sort()).toEqual(Object.keys(ID_ARGUMENTS).sort());
  });

  it('answers NOT_FOUND or BAD_USER_INPUT, never SQL or an internal error, on every query and mutation', async () => {
    const failures: string[] = [];
    for (const [path, typeName] of Object.entries(ID_ARGUMENTS)) {
      if (path.startsWith('Subscription.')) continue;
      const document = parse(documentFor(path));
      for (const id of badIds(typeName)) {
        const response = await operator.request(document, argumentsWith(path, id));
        const batch = (response.data as { ingestMatchEvents?: { results: { error: unknown }[] } } | null)
          ?.ingestMatchEvents;
        const itemErrors = (batch?.results ?? []).map((r) => r.error as { code: string; message: string } | null);
        if (batch && itemErrors.some((e) => e === null)) failures.push(`${path} with ${JSON.stringify(id)}: applied`);
        const asErrors = itemErrors.flatMap((e) => (e ? [{ message: e.message, extensions: { code: e.code } }] : []));
        for (const error of [...(response.errors ?? []), ...asErrors]) {
          const code = String(error.extensions?.code);
          if (!['NOT_FOUND', 'BAD_USER_INPUT'].includes(code) || SQL.test(error.message)) {
            failures.push(`${path} with ${JSON.stringify(id)}: ${code} ${error.message}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses bad ids of subscriptions with BAD_USER_INPUT or NOT_FOUND', async () => {
    const failures: string[] = [];
    const socket = operator.websocket();
    try {
      for (const [path, typeName] of Object.entries(ID_ARGUMENTS)) {
        if (!path.startsWith('Subscription.')) continue;
        for (const id of badIds(typeName)) {
          const errors = await new Promise<{ message: string; extensions?: Record<string, unknown> }[]>((resolve) => {
            const dispose = socket.subscribe(
              { query: documentFor(path), variables: argumentsWith(path, id) },
              {
                next: (result) => {
                  if (result.errors) {
                    dispose();
                    resolve(result.errors as never);
                  }
                },
                error: (error) => resolve(Array.isArray(error) ? error : [{ message: String(error) }]),
                complete: () => resolve([]),
              },
            );
          });
          const codes = errors.map((e) => String(e.extensions?.code));
          if (codes.length === 0 || codes.some((c) => !['NOT_FOUND', 'BAD_USER_INPUT'].includes(c))) {
            failures.push(`${path} with ${JSON.stringify(id)}: ${JSON.stringify(errors)}`);
          }
          if (errors.some((e) => SQL.test(e.message))) failures.push(`${path}: SQL in ${JSON.stringify(errors)}`);
        }
      }
    } finally {
      await socket.dispose();
    }
    expect(failures).toEqual([]);
  });

  it('keeps a valid match id working beside them', async () => {
    const response = await operator.request(parse('query ($id: ID!) { match(id: $id) { id } }'), { id: matchId });
    expect(response.data).toEqual({ match: { id: matchId } });
    expect(fromGlobalId(matchId).typeName).toBe('Match');
  });
});
