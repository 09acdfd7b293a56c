import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvent } from '../../src/alerts/alert-event.entity';
import { alertEvaluatorOf } from '../../src/alerts/alert.evaluator';
import { fromGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  AlertTriggeredDocument,
  CreateAlertRuleDocument,
  RecordMatchEventDocument,
  type AlertTriggeredSubscription,
} from '../generated/graphql';
import { addPrediction, createLeague, createMatches, createMember, unique } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { redisUrlForTests } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const redisUrl = redisUrlForTests('alerts across two instances');
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.skipIf(!redisUrl)('alerts with two server instances sharing one Redis', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const redisNamespace = `test-${randomBytes(6).toString('hex')}`;
    first = await startTestApp({ redisUrl, redisNamespace });
    second = await startTestApp({ redisUrl, redisNamespace });
  });

  function subscribe(client: GraphqlClient): Subscription<AlertTriggeredSubscription> {
    const ws = client.websocket();
    const subscription = new Subscription(ws, AlertTriggeredDocument, {});
    cleanups.push(() => {
      subscription.close();
      return ws.dispose();
    });
    return subscription;
  }

  it('stores and pushes each alert once, to subscribers of both, and a second evaluation fires nothing', async () => {
    const orm = first.app.orm;
    const ingestKey = (await createMember(orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey;
    const analyst = await createMember(orm, Role.ANALYST);
    const viewer = await createMember(orm, Role.VIEWER, { tenantId: analyst.tenantId });
    const league = await createLeague(orm, 2);
    const [matchId] = (await createMatches(orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ])) as [string];
    await addPrediction(orm, fromGlobalId(matchId).id, { homeWin: 0.45, draw: 0.27, awayWin: 0.28 });
    const { createAlertRule: rule } = await second
      .client(analyst.apiKey)
      .data(CreateAlertRuleDocument, { input: { kind: 'HOME_WIN_ABOVE', threshold: 0.7, scope: { matchId } } });
    const onFirst = subscribe(first.client(viewer.apiKey));
    const onSecond = subscribe(second.client(viewer.apiKey));
    await new Promise((r) => setTimeout(r, 300));

    const record = async (type: 'KICK_OFF' | 'GOAL', minute: number, teamId?: string) => {
      const { recordMatchEvent } = await first.client(ingestKey).data(RecordMatchEventDocument, {
        input: { matchId, type, minute, teamId, source: 'test', externalId: unique() },
      });
      return recordMatchEvent.prediction!;
    };
    await record('KICK_OFF', 0);
    const goal = await record('GOAL', 80, league.teams[0]!.gid);
    await Promise.all([alertEvaluatorOf(first.app.deps).idle(), alertEvaluatorOf(second.app.deps).idle()]);
    await onFirst.waitFor(1);
    await onSecond.waitFor(1);

    // Both instances evaluate the same prediction again (as a second publisher or a retry would).
    const payload = { predictionId: fromGlobalId(goal.id).id, matchId: fromGlobalId(matchId).id };
    expect(await alertEvaluatorOf(second.app.deps).evaluate(payload)).toEqual([]);
    expect(await alertEvaluatorOf(first.app.deps).evaluate(payload)).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));

    const stored = await orm.em.fork().find(AlertEvent, { rule: fromGlobalId(rule.id).id });
    expect(stored.map((alert) => alert.prediction?.id)).toEqual([payload.predictionId]);
    for (const subscription of [onFirst, onSecond]) {
      expect(subscription.errors).toEqual([]);
      expect(
        subscription.events.map((event) => [event.alertTriggered.rule?.id, event.alertTriggered.prediction?.id]),
      ).toEqual([[rule.id, goal.id]]);
    }
  });
});
