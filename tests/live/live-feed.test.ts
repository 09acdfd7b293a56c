import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Topic } from '../../src/pubsub/topics';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CancelMatchEventDocument,
  LiveFeedDocument,
  LiveFeedOfOneMatchDocument,
  RecordMatchEventDocument,
  UpdateMatchDocument,
  WatchDocument,
  type LiveFeedSubscription,
  type LiveFeedSubscriptionVariables,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { redisUrlForTests } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const redisUrl = redisUrlForTests('liveFeed across two instances');

type Update = LiveFeedSubscription['liveFeed'];

let t: TestApp;
let ingest: GraphqlClient;
let viewer: GraphqlClient;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp({ liveFeedSweepSeconds: 1 });
  ingest = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A feed of `client`; resolves once the server has started it (a first update would reach it). */
async function feed(client: GraphqlClient, variables: LiveFeedSubscriptionVariables) {
  const ws = client.websocket();
  const subscription = new Subscription(ws, LiveFeedDocument, variables);
  cleanups.push(() => {
    subscription.close();
    return ws.dispose();
  });
  // The group starts after the subscribe message's checks; nothing reports it, so wait for them.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return subscription;
}

async function newMatch(league: League, home = 0, away = 1): Promise<string> {
  const [id] = await createMatches(t.app.orm, league, [
    { home: league.teams[home]!.id, away: league.teams[away]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  return id!;
}

function record(matchId: string, type: string, minute: number, teamId?: string) {
  return ingest.data(RecordMatchEventDocument, {
    input: { matchId, type: type as never, minute, teamId, source: 'live-feed-test', externalId: unique() },
  });
}

const updatesOf = (updates: readonly { liveFeed: Update }[], matchId: string) =>
  updates.map((u) => u.liveFeed).filter((u) => u.match.id === matchId);

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('liveFeed', () => {
  it("follows every match of a competition, kick-offs after subscribing included, and nothing of another's", async () => {
    const league = await createLeague(t.app.orm, 4);
    const other = await createLeague(t.app.orm, 2);
    const subscription = await feed(viewer, {
      filter: { competitions: [toGlobalId('Competition', league.competitionId)] },
    });
    const first = await newMatch(league, 0, 1);
    const elsewhere = await newMatch(other, 0, 1);
    await record(elsewhere, 'KICK_OFF', 0);
    await record(first, 'KICK_OFF', 0);
    await record(first, 'GOAL', 12, league.teams[0]!.gid);
    const later = await newMatch(league, 2, 3); // created after the feed started
    await record(later, 'KICK_OFF', 0);
    await subscription.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    const updates = subscription.events.map((e) => e.liveFeed);
    expect(updates.map((u) => [u.match.id, u.sequence, u.__typename])).toEqual([
      [first, 1, 'MatchEventRecorded'],
      [first, 2, 'MatchEventRecorded'],
      [later, 1, 'MatchEventRecorded'],
    ]);
    expect(updates[1]).toMatchObject({
      match: { status: 'LIVE', minute: 12, homeGoals: 1, awayGoals: 0 },
      event: { type: 'GOAL', minute: 12 },
      prediction: { modelName: expect.any(String) },
    });
    const p = (updates[1] as Extract<Update, { __typename: 'MatchEventRecorded' }>).prediction!;
    expect(p.homeWin + p.draw + p.awayWin).toBeCloseTo(1, 6);
    expect(subscription.errors).toEqual([]);
  });

  it('follows the listed teams and matches only', async () => {
    const league = await createLeague(t.app.orm, 6);
    const byTeam = await newMatch(league, 0, 1);
    const byMatch = await newMatch(league, 2, 3);
    const neither = await newMatch(league, 4, 5);
    const subscription = await feed(viewer, { filter: { teams: [league.teams[1]!.gid], matches: [byMatch] } });
    await record(neither, 'KICK_OFF', 0);
    await record(byTeam, 'KICK_OFF', 0);
    await record(byMatch, 'KICK_OFF', 0);
    await subscription.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(subscription.events.map((e) => e.liveFeed.match.id).sort()).toEqual([byTeam, byMatch].sort());
  });

  it('takes its filter from literals around variables of other names, and resolves nested rows per update', async () => {
    const league = await createLeague(t.app.orm, 4);
    const followed = await newMatch(league, 0, 1);
    const other = await newMatch(league, 2, 3);
    const ws = viewer.websocket();
    const subscription = new Subscription(ws, LiveFeedOfOneMatchDocument, { match: followed });
    cleanups.push(() => {
      subscription.close();
      return ws.dispose();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await record(other, 'KICK_OFF', 0);
    await record(followed, 'KICK_OFF', 0);
    await record(followed, 'GOAL', 12, league.teams[1]!.gid);
    await subscription.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    const updates = subscription.events.map((e) => e.liveFeed);
    expect(updates.map((u) => u.match.id)).toEqual([followed, followed]);
    expect(updates.map((u) => u.match.homeTeam.name)).toEqual([league.teams[0]!.name, league.teams[0]!.name]);
    expect(updates[1]).toMatchObject({
      sequence: updates[0]!.sequence + 1,
      event: { minute: 12, team: { name: league.teams[1]!.name } },
    });
  });

  it('pushes operator changes and corrections in the same sequence', async () => {
    const league = await createLeague(t.app.orm, 2);
    const matchId = await newMatch(league);
    const subscription = await feed(viewer, { filter: { matches: [matchId] } });
    await ingest.data(UpdateMatchDocument, { id: matchId, input: { kickoff: '2030-09-01T17:30:00.000Z' } });
    await record(matchId, 'KICK_OFF', 0);
    const goal = await record(matchId, 'GOAL', 30, league.teams[1]!.gid);
    await ingest.data(CancelMatchEventDocument, { id: goal.recordMatchEvent.event.id });
    const updates = (await subscription.waitFor(4)).map((e) => e.liveFeed);
    expect(updates.map((u) => [u.sequence, u.__typename])).toEqual([
      [1, 'MatchChanged'],
      [2, 'MatchEventRecorded'],
      [3, 'MatchEventRecorded'],
      [4, 'MatchEventCorrected'],
    ]);
    expect(updates[0]).toMatchObject({ match: { status: 'SCHEDULED' } });
    expect(updates[2]).toMatchObject({ match: { homeGoals: 0, awayGoals: 1 } });
    expect(updates[3]).toMatchObject({
      cancelled: true,
      event: { id: goal.recordMatchEvent.event.id, type: 'GOAL', cancelledAt: expect.any(String) },
      match: { homeGoals: 0, awayGoals: 0 },
      prediction: { homeWin: expect.any(Number) },
    });
  });

  it("follows the tenant's watchlist as it changes", async () => {
    const owner = await createMember(t.app.orm, Role.OWNER);
    const client = t.client(owner.apiKey);
    const league = await createLeague(t.app.orm, 4);
    const watched = await newMatch(league, 0, 1);
    const addedLater = await newMatch(league, 2, 3);
    await client.data(WatchDocument, { input: { teamId: league.teams[0]!.gid } });
    const subscription = await feed(client, { filter: { watchlist: true } });
    await record(addedLater, 'KICK_OFF', 0);
    await record(watched, 'KICK_OFF', 0);
    await subscription.waitFor(1);
    await client.data(WatchDocument, { input: { matchId: addedLater } });
    await new Promise((r) => setTimeout(r, 300));
    await record(addedLater, 'GOAL', 5, league.teams[2]!.gid);
    await subscription.waitFor(2);
    expect(subscription.events.map((e) => [e.liveFeed.match.id, e.liveFeed.sequence])).toEqual([
      [watched, 1],
      [addedLater, 2],
    ]);
    // Another tenant's feed with the watchlist filter follows its own (empty) watchlist: nothing.
    const stranger = await feed(viewer, { filter: { watchlist: true } });
    await record(watched, 'GOAL', 10, league.teams[0]!.gid);
    await subscription.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(stranger.events).toEqual([]);
  });

  it('answers NOT_FOUND and BAD_USER_INPUT for IDs that do not fit', async () => {
    const missing = await feed(viewer, { filter: { matches: [toGlobalId('Match', 2_147_483_648)] } });
    const wrongType = await feed(viewer, { filter: { competitions: [toGlobalId('Team', 1)] } });
    await until(() => missing.errors.length > 0 && wrongType.errors.length > 0);
    expect(missing.errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    expect(wrongType.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('refuses a resume that lists one match twice (BAD_USER_INPUT)', async () => {
    const league = await createLeague(t.app.orm, 2);
    const match = await newMatch(league, 0, 1);
    const twice = await feed(viewer, {
      filter: { matches: [match] },
      since: {
        positions: [
          { match, sequence: 1 },
          { match, sequence: 4 },
        ],
      },
    });
    await until(() => twice.errors.length > 0);
    expect(twice.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' }, message: /twice/ }]);
  });

  describe('resuming', () => {
    it('sends what a reconnecting client missed, of its matches and of matches new to it, then the live stream, with no gap and no repeat', async () => {
      const league = await createLeague(t.app.orm, 4);
      const competitions = [toGlobalId('Competition', league.competitionId)];
      const seen = await newMatch(league, 0, 1);
      const before = await feed(viewer, { filter: { competitions } });
      await record(seen, 'KICK_OFF', 0);
      await record(seen, 'GOAL', 3, league.teams[0]!.gid);
      const received = (await before.waitFor(2)).map((e) => e.liveFeed);
      before.close();
      // Away: two more of the match it saw, and a match it never saw kicks off.
      await record(seen, 'GOAL', 20, league.teams[1]!.gid);
      await record(seen, 'RED_CARD', 25, league.teams[1]!.gid);
      const unseen = await newMatch(league, 2, 3);
      await record(unseen, 'KICK_OFF', 0);
      const last = received[received.length - 1]!;
      const after = await feed(viewer, {
        filter: { competitions },
        since: { positions: [{ match: seen, sequence: last.sequence }], after: last.at },
      });
      await record(seen, 'GOAL', 40, league.teams[0]!.gid);
      await after.waitFor(4);
      await new Promise((r) => setTimeout(r, 300));
      expect(updatesOf(after.events, seen).map((u) => [u.sequence, u.match.minute])).toEqual([
        [3, 20],
        [4, 25],
        [5, 40],
      ]);
      expect(updatesOf(after.events, unseen).map((u) => u.sequence)).toEqual([1]);
    });

    it('fills a lost pub/sub message from the database before delivering the next update', async () => {
      const league = await createLeague(t.app.orm, 2);
      const matchId = await newMatch(league);
      const subscription = await feed(viewer, { filter: { matches: [matchId] } });
      await record(matchId, 'KICK_OFF', 0);
      await subscription.waitFor(1);
      await withLostLiveUpdates(1, () => record(matchId, 'GOAL', 10, league.teams[0]!.gid));
      await record(matchId, 'GOAL', 11, league.teams[1]!.gid);
      await subscription.waitFor(3);
      expect(subscription.events.map((e) => [e.liveFeed.sequence, e.liveFeed.match.minute])).toEqual([
        [1, 0],
        [2, 10],
        [3, 11],
      ]);
    });

    it('delivers a lost last update within a sweep (LIVE_FEED_SWEEP_SECONDS), with nothing after it', async () => {
      const league = await createLeague(t.app.orm, 2);
      const matchId = await newMatch(league);
      const subscription = await feed(viewer, { filter: { matches: [matchId] } });
      await record(matchId, 'KICK_OFF', 0);
      await subscription.waitFor(1);
      const lostAt = Date.now();
      await withLostLiveUpdates(1, () => record(matchId, 'GOAL', 10, league.teams[0]!.gid));
      await subscription.waitFor(2, 4000);
      expect(Date.now() - lostAt).toBeLessThan(3000);
      expect(subscription.events.map((e) => e.liveFeed.sequence)).toEqual([1, 2]);
    });
  });
});

describe.skipIf(!redisUrl)('liveFeed across two instances on one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let ingestA: GraphqlClient;
  let ingestB: GraphqlClient;
  let viewerB: GraphqlClient;

  beforeAll(async () => {
    const redisNamespace = `test-live-feed-${unique()}`;
    a = await startTestApp({ redisUrl, redisNamespace, liveFeedSweepSeconds: 1 });
    b = await startTestApp({ redisUrl, redisNamespace, liveFeedSweepSeconds: 1 });
    const operator = await createMember(a.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
    ingestA = a.client(operator.apiKey);
    ingestB = b.client(operator.apiKey);
    viewerB = b.client((await createMember(b.app.orm, Role.VIEWER)).apiKey);
  });

  const recordOn = (client: GraphqlClient, matchId: string, type: string, minute: number, teamId?: string) =>
    client.data(RecordMatchEventDocument, {
      input: { matchId, type: type as never, minute, teamId, source: 'live-feed-test', externalId: unique() },
    });

  it('delivers updates written on either instance in sequence order, a lost message filled from the database', async () => {
    const league = await createLeague(a.app.orm, 2);
    const matchId = await newMatch(league);
    const subscription = await feed(viewerB, { filter: { matches: [matchId] } });
    await recordOn(ingestA, matchId, 'KICK_OFF', 0);
    await recordOn(ingestB, matchId, 'GOAL', 5, league.teams[0]!.gid);
    await withLostLiveUpdates(a, 1, () => recordOn(ingestA, matchId, 'GOAL', 9, league.teams[1]!.gid));
    await recordOn(ingestB, matchId, 'YELLOW_CARD', 12, league.teams[1]!.gid);
    await recordOn(ingestA, matchId, 'GOAL', 14, league.teams[0]!.gid);
    await subscription.waitFor(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(subscription.events.map((e) => [e.liveFeed.sequence, e.liveFeed.match.minute])).toEqual([
      [1, 0],
      [2, 5],
      [3, 9],
      [4, 12],
      [5, 14],
    ]);
    expect(subscription.events.at(-1)!.liveFeed.match).toMatchObject({ homeGoals: 2, awayGoals: 1 });
  });

  it('resumes on the other instance from where the client was', async () => {
    const league = await createLeague(a.app.orm, 2);
    const matchId = await newMatch(league);
    const onA = await feed(a.client((await createMember(a.app.orm, Role.VIEWER)).apiKey), {
      filter: { matches: [matchId] },
    });
    await recordOn(ingestA, matchId, 'KICK_OFF', 0);
    const [seen] = (await onA.waitFor(1)).map((e) => e.liveFeed);
    onA.close();
    await recordOn(ingestA, matchId, 'GOAL', 30, league.teams[0]!.gid);
    const onB = await feed(viewerB, {
      filter: { matches: [matchId] },
      since: { positions: [{ match: matchId, sequence: seen!.sequence }], after: seen!.at },
    });
    await recordOn(ingestB, matchId, 'HALF_TIME', 45);
    await onB.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(onB.events.map((e) => [e.liveFeed.sequence, e.liveFeed.match.status])).toEqual([
      [2, 'LIVE'],
      [3, 'HALF_TIME'],
    ]);
  });
});

/** Runs `work` with the next `count` LIVE_UPDATE publications of `app` dropped, as a lost pub/sub message would be. */
async function withLostLiveUpdates<T>(count: number, work: () => Promise<T>): Promise<T>;
async function withLostLiveUpdates<T>(app: TestApp, count: number, work: () => Promise<T>): Promise<T>;
async function withLostLiveUpdates<T>(...args: unknown[]): Promise<T> {
  const [app, count, work] = (args.length === 2 ? [t, ...args] : args) as [TestApp, number, () => Promise<T>];
  const pubSub = app.app.deps.pubSub;
  const publish = pubSub.publish;
  let dropped = 0;
  pubSub.publish = ((topic: string, ...args: unknown[]) => {
    if (topic === Topic.LIVE_UPDATE && dropped < count) {
      dropped++;
      return;
    }
    (publish as (topic: string, ...rest: unknown[]) => void).call(pubSub, topic, ...args);
  }) as typeof publish;
  try {
    return await work();
  } finally {
    pubSub.publish = publish;
    expect(dropped).toBe(count);
  }
}
