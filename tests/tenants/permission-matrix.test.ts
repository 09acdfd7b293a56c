import type { EntityManager } from '@mikro-orm/postgresql';
import {
  getNamedType,
  isLeafType,
  isNonNullType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishingWithAlerts } from '../../src/alerts/alert.evaluator';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Match } from '../../src/matches/match.entity';
import { toMatchSnapshot } from '../../src/matches/match.snapshot';
import { appendLiveUpdate, LiveUpdateKind } from '../../src/live/live-update';
import { Topic } from '../../src/pubsub/topics';
import { createBareSchema } from '../../src/schema';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  addPrediction,
  createLeague,
  createMatches,
  createMember,
  revokeKey,
  unique,
  type League,
  type Member,
} from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { claimsOf, signTestJwt, TEST_JWT_SETTINGS } from '../support/jwt';
import { startTestApp, type TestApp } from '../support/test-app';
import { untilEveryFeedIsOn } from '../live/feeds';
import { CreateAlertRuleDocument, CreateCustomModelDocument, WatchDocument } from '../generated/graphql';
import {
  CALLERS,
  EXPECTED_OUTCOMES,
  FOREIGN_OUTCOMES,
  HIGHER_ROLE_OUTCOMES,
  PLATFORM_TARGETS,
  type Caller,
  type Outcome,
} from './permission-matrix';

let t: TestApp;
let schema: GraphQLSchema;

interface Fixtures {
  league: League;
  /** A scheduled match, read and updated. */
  matchId: string;
  /** The match events are recorded for and subscriptions follow, with a prediction. */
  liveMatchId: string;
  tenantId: number;
  members: Partial<Record<Caller, Member>>;
  /** The API key or JWT each caller sends; null: none. */
  credentials: Record<Caller, string | null>;
  /** Another tenant's objects, for FOREIGN_OUTCOMES. */
  foreign: { member: Member; watchlistItemId: string; alertRuleId: string; customModelId: string };
}

let f: Fixtures;

beforeAll(async () => {
  t = await startTestApp({ jwt: TEST_JWT_SETTINGS });
  schema = await createBareSchema();
  const league = await createLeague(t.app.orm, 6);
  const [matchId, liveMatchId] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    { home: league.teams[4]!.id, away: league.teams[5]!.id, kickoff: new Date('2030-09-08T15:00:00Z') },
  ]);
  await addPrediction(t.app.orm, fromGlobalId(liveMatchId!).id, {
    homeWin: 0.5,
    draw: 0.3,
    awayWin: 0.2,
  });
  const owner = await createMember(t.app.orm, Role.OWNER);
  const join = (role: Role, scopes: Scope[] = []) =>
    createMember(t.app.orm, role, { tenantId: owner.tenantId, scopes });
  const revoked = await join(Role.OWNER, [Scope.OPERATOR, Scope.INGEST]);
  await revokeKey(t.app, revoked);
  const members: Fixtures['members'] = {
    OWNER: owner,
    ADMIN: await join(Role.ADMIN),
    ANALYST: await join(Role.ANALYST),
    VIEWER: await join(Role.VIEWER),
    OPERATOR: await join(Role.VIEWER, [Scope.OPERATOR]),
    INGEST: await join(Role.VIEWER, [Scope.INGEST]),
    revoked,
  };
  const { tenant, email: ownerEmail } = await claimsOf(t.app.orm, owner);
  // The JWT's member is a VIEWER: its ADMIN role claim decides.
  const jwtMember = await claimsOf(t.app.orm, await join(Role.VIEWER));
  const credentials = Object.fromEntries(
    CALLERS.map((caller) => [caller, members[caller]?.apiKey ?? null]),
  ) as Fixtures['credentials'];
  credentials.JWT = await signTestJwt({ tenant, role: Role.ADMIN, email: jwtMember.email });
  credentials.expiredJWT = await signTestJwt({ tenant, role: Role.OWNER, email: ownerEmail, expiresIn: -60 });
  f = {
    league,
    matchId: matchId!,
    liveMatchId: liveMatchId!,
    tenantId: owner.tenantId,
    members,
    credentials,
    foreign: await foreignTenant(league, liveMatchId!),
  };
});

/** Another tenant with a second member, a watchlist item and an alert rule of its own. */
async function foreignTenant(league: League, matchId: string): Promise<Fixtures['foreign']> {
  const owner = await createMember(t.app.orm, Role.OWNER);
  const member = await createMember(t.app.orm, Role.ANALYST, { tenantId: owner.tenantId });
  const them = t.client(owner.apiKey);
  const { watch } = await them.data(WatchDocument, { input: { teamId: league.teams[0]!.gid } });
  const { createAlertRule } = await them.data(CreateAlertRuleDocument, {
    input: { kind: 'HOME_WIN_ABOVE', threshold: 0.99, scope: { matchId } },
  });
  const { createCustomModel } = await them.data(CreateCustomModelDocument, {
    input: { name: 'theirs', baseModels: ['elo'], weights: [1] },
  });
  return { member, watchlistItemId: watch.id, alertRuleId: createAlertRule.id, customModelId: createCustomModel.id };
}

const clientOf = (caller: Caller): GraphqlClient => {
  const credential = f.credentials[caller];
  return credential === null ? t.anonymous : t.client(credential);
};

/** Arguments naming another tenant's objects (see FOREIGN_OUTCOMES). */
const FOREIGN_ARGUMENTS: Record<string, () => Record<string, unknown>> = {
  'Query.node': () => ({ id: toGlobalId('Member', f.foreign.member.membershipId) }),
  'Mutation.removeMember': () => ({ id: toGlobalId('Member', f.foreign.member.membershipId) }),
  'Mutation.changeMemberRole': () => ({ id: toGlobalId('Member', f.foreign.member.membershipId), role: 'VIEWER' }),
  'Mutation.revokeApiKey': () => ({ id: toGlobalId('ApiKey', f.foreign.member.apiKeyId) }),
  'Mutation.unwatch': () => ({ id: f.foreign.watchlistItemId }),
  'Mutation.updateAlertRule': () => ({ id: f.foreign.alertRuleId, input: { enabled: false } }),
  'Mutation.deleteAlertRule': () => ({ id: f.foreign.alertRuleId }),
  'Mutation.updateCustomModel': () => ({ id: f.foreign.customModelId, input: { weights: [2] } }),
  'Mutation.deleteCustomModel': () => ({ id: f.foreign.customModelId }),
};

/** A member of the callers' tenant made for one cell, so each allowed call has its own target. */
const spare = () => createMember(t.app.orm, Role.VIEWER, { tenantId: f.tenantId });

/** An id no row has: the call passes the permission layer, then finds nothing (NOT_FOUND). */
const MISSING_ID = 987_654_321;

/** Arguments of each root field taking any; a required argument without one fails the test. */
const ARGUMENTS: Record<string, () => Record<string, unknown> | Promise<Record<string, unknown>>> = {
  'Query.competition': () => ({ code: f.league.code }),
  'Query.team': () => ({ id: f.league.teams[0]!.gid }),
  'Query.match': () => ({ id: f.matchId }),
  'Query.node': () => ({ id: f.matchId }),
  'Query.modelMetrics': () => ({ model: 'ensemble', competition: f.league.code }),
  'Mutation.createMatch': () => ({
    input: {
      seasonId: f.league.seasonGid,
      homeTeamId: f.league.teams[2]!.gid,
      awayTeamId: f.league.teams[3]!.gid,
      kickoff: '2030-09-15T15:00:00Z',
    },
  }),
  'Mutation.updateMatch': () => ({ id: f.matchId, input: { status: 'POSTPONED' } }),
  'Mutation.recordMatchEvent': () => ({
    input: { matchId: f.liveMatchId, type: 'KICK_OFF', minute: 0, source: 'matrix', externalId: unique() },
  }),
  'Mutation.ingestMatchEvents': () => ({
    events: [{ matchId: f.liveMatchId, type: 'KICK_OFF', minute: 0, source: 'matrix', externalId: unique() }],
  }),
  'Mutation.ingestOdds': () => ({
    prices: [
      {
        matchId: f.liveMatchId,
        bookmaker: 'matrix',
        market: 'ONE_X_TWO',
        prices: [2, 3.4, 3.9],
        takenAt: new Date(Date.now() - Math.floor(Math.random() * 1e9)).toISOString(),
      },
    ],
  }),
  'Mutation.createIngestSource': () => ({ name: `matrix-${unique()}` }),
  'Mutation.rotateIngestSourceSecret': () => ({ name: `no-such-${unique()}` }),
  'Mutation.cancelMatchEvent': () => ({ id: toGlobalId('MatchEvent', MISSING_ID) }),
  'Mutation.correctMatchEvent': () => ({ id: toGlobalId('MatchEvent', MISSING_ID), input: { minute: 1 } }),
  'Mutation.refreshPredictions': () => ({ competition: `no-such-${unique()}` }),
  'Mutation.createTenant': () => {
    const slug = `matrix-${unique()}`;
    return { input: { slug, name: 'Matrix', ownerEmail: `${slug}@example.test`, ownerName: 'Matrix Owner' } };
  },
  'Mutation.inviteMember': () => ({ input: { email: `${unique()}@example.test`, name: 'Invited', role: 'VIEWER' } }),
  'Mutation.removeMember': async () => ({ id: toGlobalId('Member', (await spare()).membershipId) }),
  'Mutation.changeMemberRole': async () => ({
    id: toGlobalId('Member', (await spare()).membershipId),
    role: 'ANALYST',
  }),
  'Mutation.createApiKey': () => ({ input: { name: 'matrix' } }),
  'Mutation.revokeApiKey': async () => ({ id: toGlobalId('ApiKey', (await spare()).apiKeyId) }),
  'Mutation.setTenantPlan': async () => ({
    plan: 'pro',
    tenantId: toGlobalId('Tenant', (await createMember(t.app.orm, Role.OWNER)).tenantId),
  }),
  'Mutation.watch': () => ({ input: { teamId: f.league.teams[0]!.gid } }),
  'Mutation.unwatch': () => ({ id: toGlobalId('WatchlistItem', MISSING_ID) }),
  // The rules made here fire on the predictions `subscriptionOutcomes` publishes.
  'Mutation.createAlertRule': () => ({
    input: { kind: 'HOME_WIN_ABOVE', threshold: 0.6, scope: { matchId: f.liveMatchId } },
  }),
  'Mutation.updateAlertRule': () => ({ id: toGlobalId('AlertRule', MISSING_ID), input: { enabled: false } }),
  'Mutation.deleteAlertRule': () => ({ id: toGlobalId('AlertRule', MISSING_ID) }),
  'Mutation.createCustomModel': () => ({ input: { name: `matrix-${unique()}`, baseModels: ['elo'], weights: [1] } }),
  'Mutation.updateCustomModel': () => ({ id: toGlobalId('CustomModel', MISSING_ID), input: { weights: [1] } }),
  'Mutation.deleteCustomModel': () => ({ id: toGlobalId('CustomModel', MISSING_ID) }),
  'Subscription.matchUpdated': () => ({ matchId: f.liveMatchId }),
  'Subscription.predictionUpdated': () => ({ matchId: f.liveMatchId }),
  'Subscription.liveFeed': () => ({ filter: { matches: [f.liveMatchId] } }),
};

/** Errors that come from the field's own work, after the permission layer let the call in. */
const DOMAIN_ERRORS = new Set(['NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'BAD_USER_INPUT']);

interface RootField {
  name: string;
  operation: 'query' | 'mutation' | 'subscription';
  field: GraphQLField<unknown, unknown>;
}

function rootFields(): RootField[] {
  const roots: [RootField['operation'], GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([operation, type]) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ name: `${type!.name}.${field.name}`, operation, field })),
  );
}

/** The smallest operation calling one root field with variables for its arguments. */
function operationOf({ operation, field }: RootField) {
  const definitions = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return parse(
    `${operation} Matrix${definitions.length ? `(${definitions.join(', ')})` : ''} ` +
      `{ ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`,
  );
}

async function variablesOf(root: RootField): Promise<Record<string, unknown>> {
  const variables = (await ARGUMENTS[root.name]?.()) ?? {};
  const missing = root.field.args.filter((arg) => isNonNullType(arg.type) && !(arg.name in variables));
  if (missing.length) throw new Error(`${root.name}: give ARGUMENTS for ${missing.map((a) => a.name).join(', ')}`);
  return variables;
}

function outcomeOf(codes: string[], answered: boolean): Outcome | string {
  if (codes.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  if (codes.includes('FORBIDDEN')) return 'FORBIDDEN';
  if (answered || (codes.length > 0 && codes.every((code) => DOMAIN_ERRORS.has(code)))) return 'allowed';
  return `unexpected: ${codes.join(', ') || 'no data and no error'}`;
}

async function requestOutcome(root: RootField, caller: Caller): Promise<Outcome | string> {
  const response = await clientOf(caller).request(operationOf(root), await variablesOf(root));
  const codes = (response.errors ?? []).map((e) => String(e.extensions?.code));
  const answered = !!response.data && (response.data as Record<string, unknown>)[root.field.name] != null;
  return outcomeOf(codes, answered);
}

/** Every caller subscribes to every subscription field; events are published until each has an answer. */
async function subscriptionOutcomes(roots: RootField[]): Promise<Record<string, Record<Caller, Outcome | string>>> {
  const sockets = CALLERS.map((caller) => ({ caller, ws: clientOf(caller).websocket() }));
  const feeds = await Promise.all(
    sockets.flatMap(({ caller, ws }) =>
      roots.map(async (root) => ({
        root,
        caller,
        subscription: new Subscription(ws, operationOf(root), await variablesOf(root)),
      })),
    ),
  );
  const match = await t.app.orm.em.fork().findOneOrFail(Match, fromGlobalId(f.liveMatchId).id);
  // Predictions go through the alert evaluator, as the API's own do: every second one crosses
  // the rules' 0.6 home-win threshold from below, so alertTriggered has alerts to push.
  const withAlerts = publishingWithAlerts(t.app.deps);
  let published = 0;
  const publish = () => {
    t.app.deps.pubSub.publish(Topic.MATCH_UPDATED, match.id, toMatchSnapshot(match));
    // liveFeed's updates are stored first (their sequence), as the API's writes store them.
    void t.app.orm.em
      .fork()
      .transactional(async (em) => {
        await em
          .getConnection()
          .execute('select id from match where id = ? for update', [match.id], 'all', em.getTransactionContext());
        return appendLiveUpdate(
          em as EntityManager,
          LiveUpdateKind.MATCH_CHANGED,
          { match: toMatchSnapshot(match) },
          new Date(),
        );
      })
      .then((update) => t.app.deps.pubSub.publish(Topic.LIVE_UPDATE, update));
    const homeWin = published++ % 2 === 0 ? 0.3 : 0.9;
    void addPrediction(t.app.orm, match.id, { homeWin, draw: 0.05, awayWin: 0.95 - homeWin }).then((predictionId) =>
      withAlerts.publish(Topic.PREDICTION_UPDATED, match.id, { predictionId, matchId: match.id }),
    );
  };
  try {
    await untilEveryFeedIsOn(publish, () =>
      feeds.every(({ subscription }) => subscription.events.length > 0 || subscription.errors.length > 0),
    );
    const outcomes: Record<string, Record<string, Outcome | string>> = {};
    for (const { root, caller, subscription } of feeds) {
      const codes = subscription.errors.map((error) => {
        const { code, extensions } = error as { code?: number; extensions?: { code?: string } };
        // A socket without a valid key is closed at connect (4403).
        return code === 4403 ? 'UNAUTHENTICATED' : String(extensions?.code ?? code);
      });
      const answered = subscription.events.some((event) => (event as Record<string, unknown>)[root.field.name]);
      (outcomes[root.name] ??= {})[caller] = outcomeOf(codes, answered);
    }
    return outcomes as Record<string, Record<Caller, Outcome | string>>;
  } finally {
    for (const { subscription } of feeds) subscription.close();
    await Promise.all(sockets.map(({ ws }) => ws.dispose()));
  }
}

describe('permission matrix', () => {
  it('has an expected outcome for every root field of the schema, and for no other', () => {
    expect(Object.keys(EXPECTED_OUTCOMES).sort()).toEqual(
      rootFields()
        .map((root) => root.name)
        .sort(),
    );
    for (const [field, row] of Object.entries(EXPECTED_OUTCOMES)) expect(row, field).toHaveLength(CALLERS.length);
  });

  it('gives every caller the expected outcome on every root field', async () => {
    const roots = rootFields().filter((root) => EXPECTED_OUTCOMES[root.name]);
    const actual: Record<string, (Outcome | string)[]> = {};
    for (const root of roots.filter((r) => r.operation !== 'subscription')) {
      actual[root.name] = [];
      for (const caller of CALLERS) actual[root.name]!.push(await requestOutcome(root, caller));
    }
    const subscriptions = await subscriptionOutcomes(roots.filter((r) => r.operation === 'subscription'));
    for (const [name, byCaller] of Object.entries(subscriptions)) actual[name] = CALLERS.map((c) => byCaller[c]);

    const expected = Object.fromEntries(roots.map((root) => [root.name, EXPECTED_OUTCOMES[root.name]]));
    expect(actual).toEqual(expected);
    const cells = Object.values(actual).reduce((sum, row) => sum + row.length, 0);
    expect(cells).toBe(roots.length * CALLERS.length);
    console.info(`[permission matrix] ${roots.length} root fields × ${CALLERS.length} callers = ${cells} cells`);
  });

  it("finds nothing of another tenant's for any caller the permission layer lets through", async () => {
    const withIdArguments = rootFields().filter((root) =>
      root.field.args.some((arg) => getNamedType(arg.type).name === 'ID'),
    );
    const unclassified = withIdArguments
      .map((root) => root.name)
      .filter((name) => !FOREIGN_OUTCOMES[name] && !PLATFORM_TARGETS.includes(name));
    expect(unclassified, 'add them to FOREIGN_OUTCOMES or PLATFORM_TARGETS').toEqual([]);

    const before = await foreignState();
    const actual: Record<string, (Outcome | string)[]> = {};
    for (const name of Object.keys(FOREIGN_OUTCOMES)) {
      const root = rootFields().find((r) => r.name === name)!;
      actual[name] = [];
      for (const caller of CALLERS) {
        const response = await clientOf(caller).request(operationOf(root), FOREIGN_ARGUMENTS[name]!());
        const codes = (response.errors ?? []).map((e) => String(e.extensions?.code));
        const value = (response.data as Record<string, unknown> | null)?.[root.field.name];
        actual[name].push(foreignOutcomeOf(codes, value));
      }
    }
    expect(actual).toEqual(FOREIGN_OUTCOMES);
    expect(await foreignState()).toEqual(before);
    const cells = Object.values(actual).reduce((sum, row) => sum + row.length, 0);
    console.info(
      `[permission matrix] foreign tenant: ${Object.keys(actual).length} root fields × ${CALLERS.length} callers = ${cells} cells`,
    );
  });
});

describe('permission matrix on higher roles', () => {
  it("refuses every caller but an OWNER to revoke an OWNER's key, and leaves it working", async () => {
    const actual: Record<string, (Outcome | string)[]> = {};
    for (const name of Object.keys(HIGHER_ROLE_OUTCOMES)) {
      const root = rootFields().find((r) => r.name === name)!;
      actual[name] = [];
      for (const caller of CALLERS) {
        const target = await createMember(t.app.orm, Role.OWNER, { tenantId: f.tenantId });
        const response = await clientOf(caller).request(operationOf(root), {
          id: toGlobalId('ApiKey', target.apiKeyId),
        });
        const codes = (response.errors ?? []).map((e) => String(e.extensions?.code));
        const outcome = outcomeOf(codes, !!(response.data as Record<string, unknown> | null)?.[root.field.name]);
        actual[name].push(outcome);
        const [key] = await t.app.orm.em
          .fork()
          .getConnection()
          .execute<{ revoked: boolean }[]>('select revoked_at is not null as revoked from api_key where id = ?', [
            target.apiKeyId,
          ]);
        expect(key!.revoked, `${caller}: stored state`).toBe(outcome === 'allowed');
      }
    }
    expect(actual).toEqual(HIGHER_ROLE_OUTCOMES);
  });
});

// As for an id that does not exist: NOT_FOUND, or null from `node`; any data would be a leak.
function foreignOutcomeOf(codes: string[], value: unknown): Outcome | string {
  if (codes.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  if (codes.includes('FORBIDDEN')) return 'FORBIDDEN';
  if (codes.includes('NOT_FOUND') || (codes.length === 0 && value === null)) return 'NOT_FOUND';
  return `leaked: ${codes.join(', ') || JSON.stringify(value)}`;
}

/** The other tenant's objects as stored: the calls above must change none of them. */
async function foreignState() {
  const { member, watchlistItemId, alertRuleId } = f.foreign;
  const connection = t.app.orm.em.fork().getConnection();
  return {
    member: await connection.execute('select role from membership where id = ?', [member.membershipId]),
    key: await connection.execute('select revoked_at from api_key where id = ?', [member.apiKeyId]),
    watch: await connection.execute('select id from watchlist_item where id = ?', [fromGlobalId(watchlistItemId).id]),
    rule: await connection.execute('select enabled from alert_rule where id = ?', [fromGlobalId(alertRuleId).id]),
    model: await connection.execute('select weights, revision from custom_model where id = ?', [
      fromGlobalId(f.foreign.customModelId).id,
    ]),
  };
}
