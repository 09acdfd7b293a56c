import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvent } from '../../src/alerts/alert-event.entity';
import { alertEvaluatorOf } from '../../src/alerts/alert.evaluator';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  AlertEventsDocument,
  AlertTriggeredDocument,
  CreateAlertRuleDocument,
  PrivateNodeDocument,
  RecordMatchEventDocument,
  UpdateAlertRuleDocument,
  WatchDocument,
  type AlertTriggeredSubscription,
  type CreateAlertRuleInput,
} from '../generated/graphql';
import {
  addOdds,
  addPrediction,
  createLeague,
  createMatches,
  createMember,
  unique,
  type League,
  type Member,
} from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let ingest: GraphqlClient;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  // recordMatchEvent needs a key with the INGEST (or OPERATOR) scope; its tenant role does not matter.
  ingest = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface TestTenant {
  analyst: GraphqlClient;
  viewer: GraphqlClient;
  member: Member;
}

/** A tenant with an ANALYST (writes rules) and a VIEWER (subscribes). */
async function newTenant(): Promise<TestTenant> {
  const member = await createMember(t.app.orm, Role.ANALYST);
  const viewer = await createMember(t.app.orm, Role.VIEWER, { tenantId: member.tenantId });
  return { analyst: t.client(member.apiKey), viewer: t.client(viewer.apiKey), member };
}

interface LiveMatch {
  league: League;
  matchId: string;
  competitionId: string;
}

/** A fixture with a pre-match `ensemble` prediction of 0.45 / 0.27 / 0.28, and 1X2 odds of two bookmakers. */
async function newMatch(): Promise<LiveMatch> {
  const league = await createLeague(t.app.orm, 2);
  const [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
  const id = fromGlobalId(matchId).id;
  await addPrediction(
    t.app.orm,
    id,
    { homeWin: 0.45, draw: 0.27, awayWin: 0.28 },
    new Date(Date.now() - 86_400_000),
    'ensemble',
  );
  await addOdds(t.app.orm, id, 'pinnacle', [2.0, 3.4, 3.0]);
  await addOdds(t.app.orm, id, 'bet365', [2.1, 3.2, 2.9]);
  const [{ competition_id }] = (await t.app.orm.em
    .fork()
    .getConnection()
    .execute('select competition_id from season where id = ?', [league.seasonId])) as [{ competition_id: number }];
  return { league, matchId, competitionId: toGlobalId('Competition', competition_id) };
}

async function record(match: LiveMatch, type: 'KICK_OFF' | 'GOAL', minute: number, side?: 0 | 1) {
  const { recordMatchEvent } = await ingest.data(RecordMatchEventDocument, {
    input: {
      matchId: match.matchId,
      type,
      minute,
      teamId: side === undefined ? undefined : match.league.teams[side]!.gid,
      source: 'test',
      externalId: unique(),
    },
  });
  // Alerts are evaluated after the answer, off the request's path: wait for this app's queue.
  await alertEvaluatorOf(t.app.deps).idle();
  return recordMatchEvent.prediction!;
}

async function createRule(tenant: TestTenant, input: CreateAlertRuleInput): Promise<string> {
  return (await tenant.analyst.data(CreateAlertRuleDocument, { input })).createAlertRule.id;
}

function subscribe(client: GraphqlClient): Subscription<AlertTriggeredSubscription> {
  const ws = client.websocket();
  const subscription = new Subscription(ws, AlertTriggeredDocument, {});
  cleanups.push(() => {
    subscription.close();
    return ws.dispose();
  });
  return subscription;
}

const settle = (ms = 250) => new Promise((resolve) => setTimeout(resolve, ms));

const storedAlerts = (ruleGid: string) =>
  t.app.orm.em.fork().find(AlertEvent, { rule: fromGlobalId(ruleGid).id }, { orderBy: { id: 'asc' } });

describe('alert rules on recorded match events', () => {
  it('fire HOME_WIN_ABOVE once when an in-play prediction crosses the threshold, store it and push it to the tenant', async () => {
    const tenant = await newTenant();
    const match = await newMatch();
    const ruleId = await createRule(tenant, {
      kind: 'HOME_WIN_ABOVE',
      threshold: 0.7,
      scope: { matchId: match.matchId },
    });
    const subscription = subscribe(tenant.viewer);
    await settle();

    const kickOff = await record(match, 'KICK_OFF', 0);
    expect(kickOff.homeWin).toBeLessThan(0.7);
    const goal = await record(match, 'GOAL', 80, 0);
    expect(goal.homeWin).toBeGreaterThan(0.7);
    const secondGoal = await record(match, 'GOAL', 85, 0); // still above: no new crossing
    expect(secondGoal.homeWin).toBeGreaterThan(goal.homeWin);

    const [event] = await subscription.waitFor(1);
    await settle();
    expect(subscription.events).toHaveLength(1);
    expect(subscription.errors).toEqual([]);
    expect(event!.alertTriggered).toMatchObject({
      kind: 'HOME_WIN_ABOVE',
      threshold: 0.7,
      rule: { id: ruleId },
      match: { id: match.matchId, status: 'LIVE', homeGoals: 1, awayGoals: 0 },
      prediction: { id: goal.id, modelName: 'in-play', homeWin: goal.homeWin },
      values: {
        outcome: 'HOME',
        probability: goal.homeWin,
        previousProbability: kickOff.homeWin,
        price: null,
        bookmaker: null,
        edge: null,
      },
    });
    const stored = await storedAlerts(ruleId);
    expect(stored.map((alert) => [alert.prediction?.id, alert.match.id, alert.tenant.id])).toEqual([
      [fromGlobalId(goal.id).id, fromGlobalId(match.matchId).id, tenant.member.tenantId],
    ]);
    expect(stored[0]!.firedAt).toBeInstanceOf(Date);
    expect(toGlobalId('AlertEvent', stored[0]!.id)).toBe(event!.alertTriggered.id);

    // It fires again only after falling below and crossing anew.
    await record(match, 'GOAL', 86, 1);
    await record(match, 'GOAL', 87, 1);
    const crossedAgain = await record(match, 'GOAL', 89, 0);
    expect(crossedAgain.homeWin).toBeGreaterThan(0.7);
    await subscription.waitFor(2);
    expect((await storedAlerts(ruleId)).map((alert) => alert.prediction?.id)).toEqual([
      fromGlobalId(goal.id).id,
      fromGlobalId(crossedAgain.id).id,
    ]);
  });

  it('fire EDGE_OVER_BEST_PRICE for a watched competition with the best price of any bookmaker', async () => {
    const tenant = await newTenant();
    const match = await newMatch();
    await tenant.analyst.data(WatchDocument, { input: { competitionId: match.competitionId } });
    const ruleId = await createRule(tenant, {
      kind: 'EDGE_OVER_BEST_PRICE',
      threshold: 0.05,
      scope: { watchlist: true },
    });

    await record(match, 'KICK_OFF', 0); // 0.45 × 2.1 − 1 < 0: no edge
    expect(await storedAlerts(ruleId)).toEqual([]);
    const goal = await record(match, 'GOAL', 80, 0);

    const [alert] = await storedAlerts(ruleId);
    expect(alert?.prediction?.id).toBe(fromGlobalId(goal.id).id);
    expect(alert?.values).toMatchObject({ outcome: 'HOME', bookmaker: 'bet365', price: 2.1 });
    expect(alert!.values.probability).toBeCloseTo(goal.homeWin, 12);
    expect(alert!.values.edge).toBeCloseTo(goal.homeWin * 2.1 - 1, 12);
  });

  it('fire for a team or a competition in scope, only for the named model, and never when disabled', async () => {
    const tenant = await newTenant();
    const match = await newMatch();
    const other = await newMatch();
    const crossing = { kind: 'HOME_WIN_ABOVE', threshold: 0.7 } as const;
    const team = await createRule(tenant, { ...crossing, scope: { teamId: match.league.teams[0]!.gid } });
    const competition = await createRule(tenant, { ...crossing, scope: { competitionId: match.competitionId } });
    const inPlay = await createRule(tenant, { ...crossing, scope: { matchId: match.matchId }, modelName: 'in-play' });
    const ensemble = await createRule(tenant, {
      ...crossing,
      scope: { matchId: match.matchId },
      modelName: 'ensemble',
    });
    const disabled = await createRule(tenant, { ...crossing, scope: { matchId: match.matchId } });
    await tenant.analyst.data(UpdateAlertRuleDocument, { id: disabled, input: { enabled: false } });
    const elsewhere = await createRule(tenant, { ...crossing, scope: { matchId: other.matchId } });
    const watchlistOnly = await createRule(tenant, { ...crossing, scope: { watchlist: true } }); // watches nothing

    await record(match, 'KICK_OFF', 0);
    await record(match, 'GOAL', 80, 0);

    const fired = async (rule: string) => (await storedAlerts(rule)).length;
    expect(await fired(team)).toBe(1);
    expect(await fired(competition)).toBe(1);
    expect(await fired(inPlay)).toBe(1);
    expect(await fired(ensemble)).toBe(0);
    expect(await fired(disabled)).toBe(0);
    expect(await fired(elsewhere)).toBe(0);
    expect(await fired(watchlistOnly)).toBe(0);
  });
});

describe('alertTriggered isolation', () => {
  it('pushes each tenant only its own alerts, with two tenants (and one without rules) subscribed at once', async () => {
    const [a, b, c] = [await newTenant(), await newTenant(), await newTenant()];
    const match = await newMatch();
    const ruleOfA = await createRule(a, { kind: 'HOME_WIN_ABOVE', threshold: 0.7, scope: { matchId: match.matchId } });
    const ruleOfB = await createRule(b, { kind: 'HOME_WIN_ABOVE', threshold: 0.6, scope: { matchId: match.matchId } });
    // The same operation, role and variables on every socket.
    const [ofA, ofB, ofC] = [subscribe(a.viewer), subscribe(b.viewer), subscribe(c.viewer)];
    await settle();

    await record(match, 'KICK_OFF', 0);
    await record(match, 'GOAL', 80, 0);
    await ofA.waitFor(1);
    await ofB.waitFor(1);
    await settle(400);

    expect(ofA.events.map((e) => e.alertTriggered.rule?.id)).toEqual([ruleOfA]);
    expect(ofB.events.map((e) => e.alertTriggered.rule?.id)).toEqual([ruleOfB]);
    expect(ofC.events).toEqual([]);
    expect([ofA.errors, ofB.errors, ofC.errors]).toEqual([[], [], []]);
  });

  it("pages through the tenant's own past alerts only, newest first", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const match = await newMatch();
    const rule = await createRule(a, {
      kind: 'EDGE_OVER_BEST_PRICE',
      threshold: 0.05,
      scope: { matchId: match.matchId },
    });
    await createRule(b, { kind: 'EDGE_OVER_BEST_PRICE', threshold: 0.05, scope: { matchId: match.matchId } });
    await record(match, 'KICK_OFF', 0);
    const goals = [
      await record(match, 'GOAL', 80, 0),
      await record(match, 'GOAL', 82, 0),
      await record(match, 'GOAL', 84, 0),
    ];

    const first = (await a.viewer.data(AlertEventsDocument, { first: 2 })).alertEvents;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await a.viewer.data(AlertEventsDocument, { first: 2, after: first.pageInfo.endCursor }))
      .alertEvents;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const nodes = [...first.edges, ...second.edges].map((edge) => edge.node);
    expect(nodes.map((node) => node.prediction?.id)).toEqual(goals.map((goal) => goal.id).reverse());
    expect(nodes.every((node) => node.rule?.id === rule)).toBe(true);

    const ofB = (await b.viewer.data(AlertEventsDocument, { first: 10 })).alertEvents;
    expect(ofB.totalCount).toBe(3);
    expect(ofB.edges.map((edge) => edge.node.id).filter((id) => nodes.some((node) => node.id === id))).toEqual([]);
    expect(await b.viewer.data(PrivateNodeDocument, { id: nodes[0]!.id })).toEqual({ node: null });
    expect(await a.viewer.data(PrivateNodeDocument, { id: nodes[0]!.id })).toEqual({
      node: { id: nodes[0]!.id, __typename: 'AlertEvent', kind: 'EDGE_OVER_BEST_PRICE' },
    });
  });
});

describe('alert evaluation failures', () => {
  it('are logged, never thrown to the writer', async () => {
    const logLines: Record<string, unknown>[] = [];
    const logged = await startTestApp({}, { logLines });
    const evaluator = alertEvaluatorOf(logged.app.deps);
    // A payload no statement can take (as a corrupt message would be).
    evaluator.schedule({ predictionId: 'not-a-number' as unknown as number, matchId: 1 });
    await evaluator.idle();
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'alert evaluation failed', predictionId: 'not-a-number', matchId: 1 }),
    );
  });
});
