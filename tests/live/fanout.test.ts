import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idOf } from '../../src/common/global-id';
import { predictionUpdatedPayload } from '../../src/live/prediction.snapshot';
import { Match } from '../../src/matches/match.entity';
import { toMatchSnapshot } from '../../src/matches/match.snapshot';
import { Prediction } from '../../src/predictions/prediction.entity';
import { Topic, type PredictionUpdatedPayload } from '../../src/pubsub/topics';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CompetitionsDocument,
  PredictionUpdatedWithMatchDocument,
  RecordMatchEventDocument,
} from '../generated/graphql';
import { addPrediction, createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { untilEveryFeedIsOn } from './feeds';
import { RawSocket } from './raw-socket';

let t: TestApp;
let admin: GraphqlClient;
let viewer: GraphqlClient;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  // A key's first use records when it was used: let that write happen before any count.
  await admin.data(CompetitionsDocument);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function newMatch(): Promise<{ league: League; matchId: string }> {
  const league = await createLeague(t.app.orm, 2);
  const [matchId] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  return { league, matchId: matchId! };
}

/** A stored prediction of the match, published as `recordMatchEvent` does: with its rows. */
async function storedPredictionEvent(matchId: string): Promise<PredictionUpdatedPayload> {
  const id = idOf('Match', matchId);
  const predictionId = await addPrediction(t.app.orm, id, { homeWin: 0.5, draw: 0.3, awayWin: 0.2 });
  const em = t.app.orm.em.fork();
  return predictionUpdatedPayload(await em.findOneOrFail(Prediction, predictionId), await em.findOneOrFail(Match, id));
}

/** `perSocket` subscriptions with the same operation on each of `sockets` sockets, all receiving. */
async function subscribeMany(client: GraphqlClient, matchId: string, sockets: number, perSocket: number) {
  const subscriptions: Subscription<{ predictionUpdated: unknown }>[] = [];
  for (let s = 0; s < sockets; s++) {
    const ws = client.websocket();
    for (let i = 0; i < perSocket; i++) {
      subscriptions.push(new Subscription(ws, PredictionUpdatedWithMatchDocument, { matchId }));
    }
    cleanups.push(() => ws.dispose());
  }
  cleanups.push(() => subscriptions.forEach((subscription) => subscription.close()));
  const warmUp = await storedPredictionEvent(matchId);
  await untilEveryFeedIsOn(
    () => t.app.deps.pubSub.publish(Topic.PREDICTION_UPDATED, warmUp.matchId, warmUp),
    () => subscriptions.every((subscription) => subscription.events.length > 0),
  );
  await new Promise((r) => setTimeout(r, 100)); // late warm-up copies
  return subscriptions;
}

/** Runs `publish` and returns the SQL statements run until every subscriber had the next event. */
async function statementsUntilDelivered(
  subscriptions: Subscription<{ predictionUpdated: unknown }>[],
  publish: () => Promise<unknown>,
): Promise<string[]> {
  const before = subscriptions.map((subscription) => subscription.events.length);
  t.resetQueries();
  await publish();
  await Promise.all(subscriptions.map((subscription, i) => subscription.waitFor(before[i]! + 1)));
  await new Promise((r) => setTimeout(r, 100));
  return [...t.queries];
}

describe('one computation per event', () => {
  it('reads the database as often for 40 subscribers on four sockets as for one', async () => {
    const kickOff = (matchId: string) => () =>
      admin.data(RecordMatchEventDocument, {
        input: { matchId, type: 'KICK_OFF', minute: 0, source: 'test', externalId: unique() },
      });
    // A source's first event reads whether it posts signed (cached from then on): not measured.
    await kickOff((await newMatch()).matchId)();
    const one = await newMatch();
    const oneSubscriber = await subscribeMany(viewer, one.matchId, 1, 1);
    const forOne = await statementsUntilDelivered(oneSubscriber, kickOff(one.matchId));
    const many = await newMatch();
    const manySubscribers = await subscribeMany(viewer, many.matchId, 4, 10);
    const forMany = await statementsUntilDelivered(manySubscribers, kickOff(many.matchId));

    expect(forMany).toHaveLength(forOne.length);
    for (const subscription of manySubscribers) {
      expect(subscription.events.at(-1)).toMatchObject({
        predictionUpdated: {
          inPlayMinute: 0,
          match: { id: many.matchId, status: 'LIVE', homeTeam: { name: many.league.teams[0]!.name } },
        },
      });
    }
  });

  it('reads no prediction when the event carries the prediction and match rows', async () => {
    const { matchId } = await newMatch();
    const subscriptions = await subscribeMany(viewer, matchId, 2, 5);
    const event = await storedPredictionEvent(matchId);
    const publish = (payload: PredictionUpdatedPayload) => async () =>
      t.app.deps.pubSub.publish(Topic.PREDICTION_UPDATED, payload.matchId, payload);

    const idsOnly = await statementsUntilDelivered(
      subscriptions,
      publish({ predictionId: event.predictionId, matchId: event.matchId }),
    );
    const withRows = await statementsUntilDelivered(subscriptions, publish(event));

    expect(withRows.length).toBeLessThan(idsOnly.length);
    expect(withRows.filter((sql) => /\bfrom "?prediction"?\b/i.test(sql))).toEqual([]);
    for (const subscription of subscriptions) {
      expect(subscription.events.at(-2)).toEqual(subscription.events.at(-1));
      expect(subscription.events.at(-1)).toMatchObject({ predictionUpdated: { homeWin: 0.5, match: { id: matchId } } });
    }
  });
});

describe('one pub/sub listener per match', () => {
  it('serves 50 subscribers of one match, with 26 different operations, without MaxListenersExceededWarning', async () => {
    const inMemory = await startTestApp({ redisUrl: undefined });
    const { apiKey } = await createMember(inMemory.app.orm, Role.VIEWER);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanups.push(() => void process.off('warning', onWarning));
    const league = await createLeague(inMemory.app.orm, 2);
    const [matchId] = await createMatches(inMemory.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const match = await inMemory.app.orm.em.fork().findOneOrFail(Match, idOf('Match', matchId!));
    const sockets = await Promise.all(Array.from({ length: 5 }, () => RawSocket.open(inMemory.app.url, apiKey)));
    cleanups.push(() => sockets.forEach((socket) => socket.close()));
    sockets.forEach((socket, s) => {
      for (let i = 0; i < 10; i++) {
        const n = s * 10 + i;
        // 25 share one operation; 25 have one of their own (an alias), so 26 groups listen.
        const field = n < 25 ? 'status' : `s${n}: status`;
        socket.subscribe(String(i), `subscription { matchUpdated(matchId: "${matchId}") { id ${field} } }`);
      }
    });

    await untilEveryFeedIsOn(
      () => inMemory.app.deps.pubSub.publish(Topic.MATCH_UPDATED, match.id, toMatchSnapshot(match)),
      () => sockets.every((socket) => new Set(socket.of('next').map((m) => m.id)).size === 10),
    );
    expect(sockets.flatMap((socket) => socket.of('error'))).toEqual([]);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
