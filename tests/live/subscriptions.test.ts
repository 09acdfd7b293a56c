import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  MatchUpdatedDocument,
  PredictionUpdatedDocument,
  RecordMatchEventDocument,
  UpdateMatchDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { redisUrlForTests } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let admin: GraphqlClient;
let viewer: GraphqlClient;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function subscribe(client: GraphqlClient, matchId: string, onClosed?: (e: { code: number }) => void) {
  const ws = client.websocket({ onClosed });
  const subscription = new Subscription(ws, MatchUpdatedDocument, { matchId });
  cleanups.push(() => {
    subscription.close();
    return ws.dispose();
  });
  return subscription;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('matchUpdated', () => {
  it('pushes the match to a member after an event is recorded', async () => {
    const league2 = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league2, [
      { home: league2.teams[0]!.id, away: league2.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const subscription = subscribe(viewer, matchId!);
    await new Promise((r) => setTimeout(r, 200));
    await admin.data(RecordMatchEventDocument, {
      input: { matchId: matchId!, type: 'KICK_OFF', minute: 0, source: 'test', externalId: unique() },
    });
    await admin.data(RecordMatchEventDocument, {
      input: {
        matchId: matchId!,
        type: 'GOAL',
        minute: 9,
        teamId: league2.teams[1]!.gid,
        source: 'test',
        externalId: unique(),
      },
    });
    const events = await subscription.waitFor(2);
    expect(events.map((e) => e.matchUpdated)).toMatchObject([
      {
        id: matchId,
        status: 'LIVE',
        minute: 0,
        homeGoals: 0,
        awayGoals: 0,
        homeTeam: { name: league2.teams[0]!.name },
      },
      { id: matchId, status: 'LIVE', minute: 9, homeGoals: 0, awayGoals: 1 },
    ]);
  });

  it('does not push another match’s updates', async () => {
    const league2 = await createLeague(t.app.orm, 4);
    const [watched, other] = await createMatches(t.app.orm, league2, [
      { home: league2.teams[0]!.id, away: league2.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
      { home: league2.teams[2]!.id, away: league2.teams[3]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const subscription = subscribe(viewer, watched!);
    await new Promise((r) => setTimeout(r, 200));
    await admin.data(UpdateMatchDocument, { id: other!, input: { status: 'POSTPONED' } });
    await admin.data(UpdateMatchDocument, { id: watched!, input: { status: 'CANCELLED' } });
    const events = await subscription.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(events.map((e) => e.matchUpdated.status)).toEqual(['CANCELLED']);
  });

  it('closes a socket without a valid API key at connect time with 4403', async () => {
    for (const client of [t.anonymous, t.client('mc_unknown_key_0000000000')]) {
      let closedWith: number | undefined;
      const subscription = subscribe(client, toGlobalId('Match', 1), (e) => {
        closedWith = e.code;
      });
      await until(() => closedWith !== undefined);
      expect(closedWith).toBe(4403);
      expect(subscription.events).toEqual([]);
    }
  });

  // A revoked key's socket is closed at once (tests/live/revocation.test.ts); an expiring one
  // at its expiry, as a JWT's is at its `exp` (tests/auth/jwt-sign-in.test.ts).
  it('ends the feeds of a key at its expiry: the socket closes with 4403', async () => {
    const member = await createMember(t.app.orm, Role.VIEWER);
    const client = t.client(member.apiKey);
    const league2 = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league2, [
      { home: league2.teams[0]!.id, away: league2.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const expiresAt = Date.now() + 1_500;
    await t.app.orm.em
      .getConnection()
      .execute(`update api_key set expires_at = ? where id = ?`, [new Date(expiresAt), member.apiKeyId]);
    let closed: { code: number; reason: string } | null = null;
    const ws = client.websocket({ onClosed: (event) => (closed = event) });
    const feed = new Subscription(ws, MatchUpdatedDocument, { matchId: matchId! });
    cleanups.push(() => {
      feed.close();
      return ws.dispose();
    });
    await new Promise((r) => setTimeout(r, 200)); // the feed starts while the key is valid
    expect(closed).toBeNull();
    await until(() => closed !== null);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(closed).toMatchObject({ code: 4403, reason: expect.stringMatching(/expired/) });
  });

  it('answers NOT_FOUND at subscribe time for a match that does not exist', async () => {
    const subscription = subscribe(viewer, toGlobalId('Match', 987_654_321));
    await until(() => subscription.errors.length > 0);
    expect(subscription.errors).toHaveLength(1);
    expect(subscription.errors[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});

describe('predictionUpdated', () => {
  it('pushes the in-play prediction made after each event', async () => {
    const league2 = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league2, [
      { home: league2.teams[0]!.id, away: league2.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const ws = viewer.websocket();
    const subscription = new Subscription(ws, PredictionUpdatedDocument, { matchId: matchId! });
    cleanups.push(() => {
      subscription.close();
      return ws.dispose();
    });
    await new Promise((r) => setTimeout(r, 200));
    for (const [type, minute, teamId] of [
      ['KICK_OFF', 0, undefined],
      ['GOAL', 30, league2.teams[0]!.gid],
    ] as const) {
      await admin.data(RecordMatchEventDocument, {
        input: { matchId: matchId!, type, minute, teamId, source: 'test', externalId: unique() },
      });
    }
    const events = await subscription.waitFor(2);
    expect(events.map((e) => e.predictionUpdated)).toMatchObject([
      { modelName: 'in-play', inPlayMinute: 0 },
      { modelName: 'in-play', inPlayMinute: 30 },
    ]);
    expect(events[1]!.predictionUpdated.homeWin).toBeGreaterThan(events[0]!.predictionUpdated.homeWin);
  });
});

const redisUrl = redisUrlForTests('matchUpdated across server instances');

describe.skipIf(!redisUrl)('across server instances (Redis pub/sub)', () => {
  it('delivers an event recorded on one instance to a subscriber on another', async () => {
    const other = await startTestApp({ redisUrl, redisNamespace: t.config.redisNamespace });
    const league2 = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league2, [
      { home: league2.teams[0]!.id, away: league2.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const subscriber = other.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    const subscription = subscribe(subscriber, matchId!);
    await new Promise((r) => setTimeout(r, 300));
    await admin.data(RecordMatchEventDocument, {
      input: { matchId: matchId!, type: 'KICK_OFF', minute: 0, source: 'test', externalId: unique() },
    });
    const events = await subscription.waitFor(1);
    expect(events[0]!.matchUpdated).toMatchObject({ id: matchId, status: 'LIVE' });
  });
});
