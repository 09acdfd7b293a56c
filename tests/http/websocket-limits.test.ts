import { print } from 'graphql';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idOf } from '../../src/common/global-id';
import { WsCloseCode } from '../../src/http/websocket-limits';
import type { PredictionSnapshot } from '../../src/live/prediction.snapshot';
import { Match } from '../../src/matches/match.entity';
import { toMatchSnapshot, type MatchSnapshot } from '../../src/matches/match.snapshot';
import { marketsFromGrid } from '../../src/predictions/markets';
import { scoreGrid } from '../../src/predictions/models';
import { Topic } from '../../src/pubsub/topics';
import { Role } from '../../src/tenants/role';
import { MatchUpdatedDocument, PredictionUpdatedWithMarketsDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember } from '../support/factories';
import { Subscription } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { untilEveryFeedIsOn } from '../live/feeds';
import { RawSocket } from '../live/raw-socket';

const LIMITS = {
  maxMessageBytes: 64 * 1024,
  maxBufferedBytes: 64 * 1024,
  maxSubscriptionsPerSocket: 60,
  maxSocketsPerKey: 3,
};

let t: TestApp;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp({ webSocket: LIMITS });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function open(apiKey: string): Promise<RawSocket> {
  const socket = await RawSocket.open(t.app.url, apiKey);
  cleanups.push(() => socket.close());
  return socket;
}

async function newMatch(): Promise<{ matchId: string; snapshot: MatchSnapshot }> {
  const league = await createLeague(t.app.orm, 2);
  const [matchId] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  const match = await t.app.orm.em.fork().findOneOrFail(Match, idOf('Match', matchId!));
  return { matchId: matchId!, snapshot: toMatchSnapshot(match) };
}

// About 2 KB per subscriber and event once serialised: the markets make it heavy.
function predictionEvent(match: MatchSnapshot, n: number) {
  const prediction: PredictionSnapshot = {
    id: 1_000_000 + n,
    matchId: match.id,
    modelName: 'in-play',
    modelVersion: '1',
    homeWin: 0.5,
    draw: 0.3,
    awayWin: 0.2,
    expectedHomeGoals: 1.4,
    expectedAwayGoals: 1.1,
    inPlayMinute: n % 90,
    markets: marketsFromGrid(scoreGrid(1.4 + n / 1000, 1.1)),
    createdAt: new Date().toISOString(),
  };
  return { predictionId: prediction.id, matchId: match.id, prediction, match };
}

describe('slow consumers', () => {
  it(`closes a socket that stops reading with ${WsCloseCode.SlowConsumer} and stops buffering for it`, async () => {
    const { apiKey } = await createMember(t.app.orm, Role.VIEWER);
    const { matchId, snapshot } = await newMatch();
    const slow = await open(apiKey);
    for (let i = 0; i < 50; i++) slow.subscribe(String(i), print(PredictionUpdatedWithMarketsDocument), { matchId });
    const healthyClient = t.client(apiKey).websocket();
    const healthy = new Subscription(healthyClient, PredictionUpdatedWithMarketsDocument, { matchId });
    cleanups.push(() => {
      healthy.close();
      return healthyClient.dispose();
    });
    await untilEveryFeedIsOn(
      () => t.app.deps.pubSub.publish(Topic.PREDICTION_UPDATED, snapshot.id, predictionEvent(snapshot, 0)),
      () => healthy.events.length > 0 && new Set(slow.of('next').map((m) => m.id)).size === 50,
    );
    const before = { healthy: healthy.events.length, slow: slow.of('next').length };

    slow.socket.pause(); // stops reading: the kernel's buffers fill, then the server's
    const events = 300;
    for (let n = 1; n <= events; n++) {
      t.app.deps.pubSub.publish(Topic.PREDICTION_UPDATED, snapshot.id, predictionEvent(snapshot, n));
      await new Promise((r) => setTimeout(r, 2)); // let the server write between events
    }
    await healthy.waitFor(before.healthy + events, 20_000);
    slow.socket.resume();

    const closed = await slow.closed;
    expect(closed.code).toBe(WsCloseCode.SlowConsumer);
    // 300 events x 50 subscriptions is about 30 MB: most was never queued for the slow socket.
    expect(slow.of('next').length - before.slow).toBeLessThan((events * 50) / 2);
    expect(healthy.events).toHaveLength(before.healthy + events);
    expect(healthy.errors).toEqual([]);
  });
});

describe('operations per socket', () => {
  it(`refuses the ${LIMITS.maxSubscriptionsPerSocket + 1}th operation on a socket with LIMIT_EXCEEDED`, async () => {
    const { apiKey } = await createMember(t.app.orm, Role.VIEWER);
    const { matchId } = await newMatch();
    const socket = await open(apiKey);
    const query = print(MatchUpdatedDocument);
    for (let i = 0; i <= LIMITS.maxSubscriptionsPerSocket; i++) socket.subscribe(String(i), query, { matchId });
    await socket.until(() => socket.of('error').length > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(socket.of('error')).toEqual([
      {
        id: String(LIMITS.maxSubscriptionsPerSocket),
        type: 'error',
        payload: [
          expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: LIMITS.maxSubscriptionsPerSocket } }),
        ],
      },
    ]);

    // Completing one makes room for another.
    socket.send({ id: '0', type: 'complete' });
    await new Promise((r) => setTimeout(r, 100));
    socket.subscribe('again', query, { matchId });
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.of('error', 'again')).toEqual([]);
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
  });
});

describe('sockets per API key', () => {
  it(`closes a key's socket beyond ${LIMITS.maxSocketsPerKey} with ${WsCloseCode.TooManySockets}, other keys unaffected`, async () => {
    const { apiKey } = await createMember(t.app.orm, Role.VIEWER);
    const open3 = await Promise.all(Array.from({ length: LIMITS.maxSocketsPerKey }, () => open(apiKey)));
    expect(open3.every((s) => s.of('connection_ack').length === 1)).toBe(true);

    const extra = await open(apiKey);
    expect(await extra.closed).toMatchObject({ code: WsCloseCode.TooManySockets });
    expect(extra.of('connection_ack')).toEqual([]);

    const other = await open((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    expect(other.of('connection_ack')).toHaveLength(1);

    // A closed socket frees its place.
    open3[0]!.close();
    await open3[0]!.closed;
    await new Promise((r) => setTimeout(r, 100));
    const again = await open(apiKey);
    expect(again.of('connection_ack')).toHaveLength(1);
  });
});
