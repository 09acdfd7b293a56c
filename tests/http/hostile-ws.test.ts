import { CloseCode } from 'graphql-ws';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idOf } from '../../src/common/global-id';
import { Match } from '../../src/matches/match.entity';
import { toMatchSnapshot } from '../../src/matches/match.snapshot';
import { Topic } from '../../src/pubsub/topics';
import { Role } from '../../src/tenants/role';
import { untilEveryFeedIsOn } from '../live/feeds';
import { RawSocket } from '../live/raw-socket';
import { createLeague, createMatches, createMember } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { DOCUMENT_ATTACKS, expectRefused, latenciesBeside, NORMAL_QUERY, NORMAL_QUERY_BOUND_MS } from './hostile-cases';
import { ignoringRequestIds } from '../support/request-ids';

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_OPERATIONS = 100;
const WATCH = 'subscription Watch($matchId: ID!) { matchUpdated(matchId: $matchId) { id status } }';

let t: TestApp;
let apiKey: string;
let match: Match;
let matchId: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  t = await startTestApp({
    webSocket: {
      maxMessageBytes: MAX_MESSAGE_BYTES,
      maxBufferedBytes: 1024 * 1024,
      maxSubscriptionsPerSocket: MAX_OPERATIONS,
      maxSocketsPerKey: 20,
    },
  });
  apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
  const league = await createLeague(t.app.orm, 2);
  [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
  match = await t.app.orm.em.fork().findOneOrFail(Match, idOf('Match', matchId));
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A socket past `connection_init`, acknowledged. */
async function open(key = apiKey): Promise<RawSocket> {
  const socket = await RawSocket.open(t.app.url, key);
  cleanups.push(() => socket.close());
  return socket;
}

/** A socket that has sent nothing yet. */
async function openWithoutInit(): Promise<RawSocket> {
  const socket = await RawSocket.open(t.app.url);
  cleanups.push(() => socket.close());
  return socket;
}

let operations = 0;

/** The errors an operation is answered with over the socket (none when it succeeds). */
async function answerOf(socket: RawSocket, query: string, variables?: Record<string, unknown>): Promise<ErrorLike[]> {
  const id = `op-${++operations}`;
  socket.subscribe(id, query, variables);
  await socket.until(() => socket.of('complete', id).length + socket.of('error', id).length > 0, 10_000);
  const error = socket.of('error', id)[0];
  if (error) return error.payload as ErrorLike[];
  return socket.of('next', id).flatMap((m) => (m.payload as { errors?: ErrorLike[] }).errors ?? []);
}

async function httpErrorsOf(query: string, variables?: Record<string, unknown>): Promise<ErrorLike[] | undefined> {
  const response = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
  });
  return (JSON.parse(await response.text(), ignoringRequestIds) as { errors?: ErrorLike[] }).errors;
}

/** An attacker of its own: its tenant's quotas are not the normal queries'. */
async function attacker(): Promise<string> {
  return (await createMember(t.app.orm, Role.VIEWER)).apiKey;
}

/** A normal query over WebSocket and one over HTTP, which must both succeed. */
function normalQueries(socket: RawSocket) {
  return async () => {
    const [ws, http] = await Promise.all([answerOf(socket, NORMAL_QUERY), httpErrorsOf(NORMAL_QUERY)]);
    expect(ws).toEqual([]);
    expect(http).toBeUndefined();
  };
}

describe('a hostile client over WebSocket', () => {
  for (const [name, attack] of Object.entries(DOCUMENT_ATTACKS)) {
    it(`answers ${name} with ${attack.code}, exactly as HTTP does`, async () => {
      const ws = await answerOf(await open(), attack.query, attack.variables);
      expectRefused(ws, attack);
      expect(ws).toEqual(await httpErrorsOf(attack.query, attack.variables));
    });
  }

  it(`closes a socket that sends a 3 MB message with 1009 before reading it, serving others meanwhile`, async () => {
    const [big, normal] = await Promise.all([open(await attacker()), open()]);
    big.send({ id: 'big', type: 'subscribe', payload: { query: NORMAL_QUERY, variables: { x: 'x'.repeat(3e6) } } });
    const latencies = await latenciesBeside(big.closed, normalQueries(normal));
    expect((await big.closed).code).toBe(1009);
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_QUERY_BOUND_MS);
  });

  it('closes a socket that sends malformed JSON, or a batch of 1,000 operations in one message, with 4400', async () => {
    const malformed = await open();
    malformed.send('{"id": "1", "type": "subscribe", "payload": ');
    expect((await malformed.closed).code).toBe(CloseCode.BadRequest);

    const batched = await open();
    const batch = JSON.stringify(
      Array.from({ length: 1000 }, (_, i) => ({ id: String(i), type: 'subscribe', payload: { query: '{a}' } })),
    );
    expect(batch.length).toBeLessThan(MAX_MESSAGE_BYTES);
    batched.send(batch);
    expect((await batched.closed).code).toBe(CloseCode.BadRequest);
    expect(batched.of('next')).toEqual([]);
  });

  it('closes a socket that subscribes before connection_init with 4401, repeats it with 4429, reuses an id with 4409', async () => {
    const early = await openWithoutInit();
    early.subscribe('1', NORMAL_QUERY);
    expect((await early.closed).code).toBe(CloseCode.Unauthorized);

    const twice = await open();
    twice.send({ type: 'connection_init', payload: { 'x-api-key': apiKey } });
    expect((await twice.closed).code).toBe(CloseCode.TooManyInitialisationRequests);

    const reused = await open();
    reused.subscribe('same', WATCH, { matchId });
    reused.subscribe('same', WATCH, { matchId });
    expect((await reused.closed).code).toBe(CloseCode.SubscriberAlreadyExists);
  });

  it('closes each of 300 sockets that never send connection_init with 4408, serving others meanwhile', async () => {
    const normal = await open();
    const flood = await Promise.all(Array.from({ length: 300 }, () => openWithoutInit()));
    const closed = Promise.all(flood.map((socket) => socket.closed));
    const latencies = await latenciesBeside(closed, normalQueries(normal));
    expect(new Set((await closed).map((c) => c.code))).toEqual(new Set([CloseCode.ConnectionInitialisationTimeout]));
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_QUERY_BOUND_MS);
  });

  it(`answers each of 1,000 queries sent at once on one socket, refusing those over ${MAX_OPERATIONS} at a time with LIMIT_EXCEEDED`, async () => {
    const [burst, normal] = await Promise.all([open(await attacker()), open()]);
    const ids = Array.from({ length: 1000 }, (_, i) => `q${i}`);
    for (const id of ids) burst.subscribe(id, NORMAL_QUERY);
    const answered = () => burst.of('complete').length + burst.of('error').length;
    const latencies = await latenciesBeside(
      burst.until(() => answered() >= ids.length, 20_000),
      normalQueries(normal),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    const errors = burst.of('error');
    expect(answered()).toBe(ids.length); // once each
    expect(new Set([...burst.of('complete'), ...errors].map((m) => m.id))).toEqual(new Set(ids));
    expect(errors.flatMap((m) => m.payload as ErrorLike[]).map((e) => e.extensions)).toEqual(
      errors.map(() => ({ code: 'LIMIT_EXCEEDED', limit: MAX_OPERATIONS })),
    );
    expect(burst.of('complete').length).toBeGreaterThanOrEqual(MAX_OPERATIONS);
    expect(burst.socket.readyState).toBe(burst.socket.OPEN);
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_QUERY_BOUND_MS);
  });

  it(`runs ${MAX_OPERATIONS} subscriptions of a 1,000-subscription storm and refuses the rest, serving others meanwhile`, async () => {
    const [storm, normal] = await Promise.all([open(await attacker()), open()]);
    const ids = Array.from({ length: 1000 }, (_, i) => `s${i}`);
    for (const id of ids) storm.subscribe(id, WATCH, { matchId });
    const latencies = await latenciesBeside(
      storm.until(() => storm.of('error').length >= ids.length - MAX_OPERATIONS, 20_000),
      normalQueries(normal),
    );
    await untilEveryFeedIsOn(
      () => t.app.deps.pubSub.publish(Topic.MATCH_UPDATED, match.id, toMatchSnapshot(match)),
      () => new Set(storm.of('next').map((m) => m.id)).size === MAX_OPERATIONS,
    );

    const refused = storm.of('error');
    expect(refused.map((m) => m.id)).toEqual(ids.slice(MAX_OPERATIONS));
    expect(refused.flatMap((m) => m.payload as ErrorLike[]).map((e) => e.extensions)).toEqual(
      refused.map(() => ({ code: 'LIMIT_EXCEEDED', limit: MAX_OPERATIONS })),
    );
    expect(new Set(storm.of('next').map((m) => m.id))).toEqual(new Set(ids.slice(0, MAX_OPERATIONS)));
    expect(storm.socket.readyState).toBe(storm.socket.OPEN);
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_QUERY_BOUND_MS);
  });

  it('stays up, and keeps a normal query fast, while every WebSocket attack runs at once', async () => {
    const normal = await open();
    const key = await attacker();
    const attack = async () => {
      const sockets = await Promise.all(Array.from({ length: 10 }, () => open(key)));
      const flood = await Promise.all(Array.from({ length: 100 }, () => openWithoutInit()));
      sockets.forEach((socket, s) => {
        for (const [name, a] of Object.entries(DOCUMENT_ATTACKS))
          socket.subscribe(`${s}-${name}`, a.query, a.variables);
        for (let i = 0; i < 200; i++) socket.subscribe(`${s}-storm-${i}`, WATCH, { matchId });
      });
      sockets[0]!.send('{"malformed": ');
      sockets[1]!.send({ id: 'big', type: 'subscribe', payload: { query: 'x'.repeat(2e6) } });
      await Promise.all(flood.map((socket) => socket.closed));
      return sockets;
    };
    const attacking = attack();
    const latencies = await latenciesBeside(attacking, normalQueries(normal));
    const sockets = await attacking;
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_QUERY_BOUND_MS);
    expect((await sockets[0]!.closed).code).toBe(CloseCode.BadRequest);
    expect((await sockets[1]!.closed).code).toBe(1009);
    for (const socket of sockets.slice(2)) {
      expect(socket.of('error').length).toBeGreaterThanOrEqual(100); // attacks and the storm beyond 100
      expect(socket.socket.readyState).toBe(socket.socket.OPEN);
    }
    expect((await fetch(t.app.url.replace('/graphql', '/healthz'))).status).toBe(200);
    await normalQueries(await open())();
  });
});
