import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { WsCloseCode } from '../../src/http/websocket-limits';
import { Role } from '../../src/tenants/role';
import { RawSocket } from '../live/raw-socket';
import { createLeague, createMatches, createMember } from '../support/factories';
import { redisUrlForTests } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { memberOnPlan } from './plans';

const redisUrl = redisUrlForTests('WebSocket quotas across instances');
const WATCH = 'subscription Watch($matchId: ID!) { matchUpdated(matchId: $matchId) { id status } }';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function open(t: TestApp, apiKey: string): Promise<RawSocket> {
  const socket = await RawSocket.open(t.app.url, apiKey);
  cleanups.push(() => socket.close());
  return socket;
}

async function aMatch(t: TestApp): Promise<string> {
  const league = await createLeague(t.app.orm, 2);
  const [matchId] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  return matchId!;
}

/** Subscribes and waits until the subscription runs (no answer within 300 ms) or is refused. */
async function subscribe(
  socket: RawSocket,
  id: string,
  matchId: string,
): Promise<{ extensions?: Record<string, unknown> }[]> {
  socket.subscribe(id, WATCH, { matchId });
  const deadline = Date.now() + 300;
  await socket.until(() => socket.of('error', id).length > 0 || Date.now() > deadline);
  return (socket.of('error', id)[0]?.payload as { extensions?: Record<string, unknown> }[] | undefined) ?? [];
}

function expectRateLimited(errors: { extensions?: Record<string, unknown> }[], limit: number): void {
  expect(errors).toHaveLength(1);
  expect(errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit });
  expect(errors[0]!.extensions!.retryAfter).toBeGreaterThanOrEqual(1);
}

async function until(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

describe('subscriptions at once per tenant', () => {
  it("refuses a tenant's third subscription on a plan of two with RATE_LIMITED, whichever socket, and admits one once another ends", async () => {
    const t = await startTestApp({ redisUrl: undefined });
    const matchId = await aMatch(t);
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { maxSubscriptions: 2 });
    const colleague = await createMember(t.app.orm, Role.VIEWER, { tenantId: tiny.tenantId });
    const first = await open(t, tiny.apiKey);
    const second = await open(t, colleague.apiKey);
    expect(await subscribe(first, 's1', matchId)).toEqual([]);
    expect(await subscribe(second, 's2', matchId)).toEqual([]);
    expectRateLimited(await subscribe(second, 's3', matchId), 2);
    // Queries still run: only subscriptions are counted at once.
    second.subscribe('q', '{ __typename }');
    await second.until(() => second.of('complete', 'q').length > 0);

    // Another tenant is not affected.
    const other = await open(t, (await createMember(t.app.orm, Role.VIEWER)).apiKey);
    expect(await subscribe(other, 'o1', matchId)).toEqual([]);

    first.send({ id: 's1', type: 'complete' });
    expect(await until(async () => (await subscribe(second, `again-${Date.now()}`, matchId)).length === 0)).toBe(true);
  });

  it('frees the subscriptions of a socket that closes', async () => {
    const t = await startTestApp({ redisUrl: undefined });
    const matchId = await aMatch(t);
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { maxSubscriptions: 2 });
    const first = await open(t, tiny.apiKey);
    expect(await subscribe(first, 'a', matchId)).toEqual([]);
    expect(await subscribe(first, 'b', matchId)).toEqual([]);
    const second = await open(t, tiny.apiKey);
    expectRateLimited(await subscribe(second, 'c', matchId), 2);
    first.close();
    await first.closed;
    let n = 0;
    expect(await until(async () => (await subscribe(second, `d${n++}`, matchId)).length === 0)).toBe(true);
    expect(await subscribe(second, 'e', matchId)).toEqual([]);
    expectRateLimited(await subscribe(second, 'f', matchId), 2);
  });

  it.skipIf(!redisUrl)('counts the subscriptions of every instance sharing Redis', async () => {
    const namespace = `test-ws-quotas-${Date.now()}`;
    const a = await startTestApp({ redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ redisUrl, redisNamespace: namespace });
    const matchId = await aMatch(a);
    const tiny = await memberOnPlan(a.app.orm, Role.VIEWER, { maxSubscriptions: 2 });
    const onA = await open(a, tiny.apiKey);
    const onB = await open(b, tiny.apiKey);
    expect(await subscribe(onA, 'a1', matchId)).toEqual([]);
    expect(await subscribe(onB, 'b1', matchId)).toEqual([]);
    expectRateLimited(await subscribe(onA, 'a2', matchId), 2);
    expectRateLimited(await subscribe(onB, 'b2', matchId), 2);
    onA.send({ id: 'a1', type: 'complete' });
    let n = 0;
    expect(await until(async () => (await subscribe(onB, `b-again-${n++}`, matchId)).length === 0)).toBe(true);
  });
});

describe('sockets per API key', () => {
  it(`closes a key's third socket on a plan of two with ${WsCloseCode.TooManySockets}, below the process ceiling`, async () => {
    const t = await startTestApp({ redisUrl: undefined });
    expect(t.config.webSocket.maxSocketsPerKey).toBeGreaterThan(2);
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { maxSocketsPerKey: 2 });
    const [one, two] = [await open(t, tiny.apiKey), await open(t, tiny.apiKey)];
    expect([one, two].every((s) => s.of('connection_ack').length === 1)).toBe(true);
    const third = await open(t, tiny.apiKey);
    expect(await third.closed).toMatchObject({ code: WsCloseCode.TooManySockets });
    expect(third.of('connection_ack')).toEqual([]);

    // Per key: the same tenant's other key has its own.
    const colleague = await createMember(t.app.orm, Role.VIEWER, { tenantId: tiny.tenantId });
    expect((await open(t, colleague.apiKey)).of('connection_ack')).toHaveLength(1);

    one.close();
    await one.closed;
    expect(await until(async () => (await open(t, tiny.apiKey)).of('connection_ack').length === 1)).toBe(true);
  });

  it('keeps WS_MAX_SOCKETS_PER_KEY as the ceiling of a process when the plan allows more', async () => {
    const t = await startTestApp({
      redisUrl: undefined,
      webSocket: { ...loadConfig({ NODE_ENV: 'test' }).webSocket, maxSocketsPerKey: 2 },
    });
    const { apiKey } = await memberOnPlan(t.app.orm, Role.VIEWER, { maxSocketsPerKey: 50 });
    await open(t, apiKey);
    await open(t, apiKey);
    expect(await (await open(t, apiKey)).closed).toMatchObject({ code: WsCloseCode.TooManySockets });
  });

  it.skipIf(!redisUrl)("counts a key's sockets on every instance sharing Redis", async () => {
    const namespace = `test-ws-sockets-${Date.now()}`;
    const a = await startTestApp({ redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ redisUrl, redisNamespace: namespace });
    const tiny = await memberOnPlan(a.app.orm, Role.VIEWER, { maxSocketsPerKey: 2 });
    expect((await open(a, tiny.apiKey)).of('connection_ack')).toHaveLength(1);
    expect((await open(b, tiny.apiKey)).of('connection_ack')).toHaveLength(1);
    expect(await (await open(a, tiny.apiKey)).closed).toMatchObject({ code: WsCloseCode.TooManySockets });
    expect(await (await open(b, tiny.apiKey)).closed).toMatchObject({ code: WsCloseCode.TooManySockets });
  });
});
