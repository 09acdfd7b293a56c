import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../../src/matches/ingest/webhook-signature';
import { WINDOW_SECONDS } from '../../src/quotas/rate-limits';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { RawSocket } from '../live/raw-socket';
import { createMember } from '../support/factories';
import { redisUrlForTests } from '../support/redis';
import { startTestApp } from '../support/test-app';
import { costOf, memberOnPlan, post } from './plans';

const redisUrl = redisUrlForTests('quotas shared across instances');
const QUERY = '{ competitions { code name } }';

function expectRateLimited(response: Awaited<ReturnType<typeof post>>, limit: number): void {
  expect(response.status).toBe(429);
  expect(response.body.data).toBeUndefined();
  const error = response.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit });
  const retryAfter = error!.extensions!.retryAfter!;
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  // Sliding window: this minute's count must also fade through the next, so up to two windows.
  expect(retryAfter).toBeLessThanOrEqual(2 * WINDOW_SECONDS);
  expect(response.retryAfter).toBe(String(retryAfter));
}

describe('requests per minute', () => {
  it('answers the 6th request of a tenant allowed 5 a minute with 429, Retry-After and RATE_LIMITED; other tenants go on', async () => {
    const t = await startTestApp({ redisUrl: undefined });
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { requestsPerMinute: 5 });
    for (let i = 0; i < 5; i++) {
      const response = await post(t.app.url, tiny.apiKey, QUERY);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
    const refused = await post(t.app.url, tiny.apiKey, QUERY);
    expectRateLimited(refused, 5);
    expect(refused.body.errors![0]!.message).toMatch(/5 requests per minute/);

    // Another key of the same tenant shares its quota; another tenant has its own.
    const colleague = await createMember(t.app.orm, Role.VIEWER, { tenantId: tiny.tenantId });
    expectRateLimited(await post(t.app.url, colleague.apiKey, QUERY), 5);
    const other = await createMember(t.app.orm, Role.VIEWER);
    expect((await post(t.app.url, other.apiKey, QUERY)).status).toBe(200);
  });

  it('counts WebSocket operations with HTTP requests, refusing over WebSocket with RATE_LIMITED', async () => {
    const t = await startTestApp({ redisUrl: undefined });
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { requestsPerMinute: 3 });
    expect((await post(t.app.url, tiny.apiKey, QUERY)).status).toBe(200);
    const socket = await RawSocket.open(t.app.url, tiny.apiKey);
    try {
      for (const id of ['a', 'b', 'c']) socket.subscribe(id, QUERY);
      await socket.until(() =>
        ['a', 'b', 'c'].every((id) => socket.of('complete', id).length + socket.of('error', id).length),
      );
      expect(
        socket
          .of('next')
          .map((m) => m.id)
          .sort(),
      ).toEqual(['a', 'b']);
      const [error] = socket.of('error', 'c')[0]!.payload as { extensions: Record<string, unknown> }[];
      expect(error!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3 });
      expect(error!.extensions.retryAfter).toBeGreaterThanOrEqual(1);
      expect(socket.socket.readyState).toBe(socket.socket.OPEN);
    } finally {
      socket.close();
    }
    expectRateLimited(await post(t.app.url, tiny.apiKey, QUERY), 3);
  });
});

describe('webhook posts', () => {
  it('count as requests of their tenant: the post over the quota is answered 429 with Retry-After, and GraphQL shares the count', async () => {
    const t = await startTestApp({ redisUrl: undefined });
    const feed = await memberOnPlan(t.app.orm, Role.VIEWER, { requestsPerMinute: 3 }, [Scope.INGEST]);
    const operator = await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] });
    const name = `quota-feed-${Date.now()}`;
    const created = await post(
      t.app.url,
      operator.apiKey,
      'mutation ($name: String!) { createIngestSource(name: $name) { secret } }',
      { name },
    );
    const { secret } = (created.body.data as { createIngestSource: { secret: string } }).createIngestSource;
    const postEvents = async () => {
      const body = JSON.stringify({ events: [] });
      const response = await fetch(t.app.url.replace(/\/graphql$/, '/ingest/events'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': feed.apiKey,
          'matchcast-source': name,
          'matchcast-signature': signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        requestId: response.headers.get('x-request-id'),
        body: (await response.json()) as Awaited<ReturnType<typeof post>>['body'],
      };
    };
    expect((await postEvents()).status).toBe(200);
    expect((await postEvents()).status).toBe(200);
    expect((await post(t.app.url, feed.apiKey, QUERY)).status).toBe(200);
    expectRateLimited(await postEvents(), 3);
    expectRateLimited(await post(t.app.url, feed.apiKey, QUERY), 3);
  });
});

describe('query cost per minute', () => {
  it("refuses the operation that would pass the plan's cost per minute, and then cheaper ones too", async () => {
    const cost = await costOf(QUERY);
    expect(cost).toBeGreaterThan(1);
    const t = await startTestApp({ redisUrl: undefined });
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { queryCostPerMinute: 3 * cost });
    for (let i = 0; i < 3; i++) expect((await post(t.app.url, tiny.apiKey, QUERY)).status).toBe(200);
    const refused = await post(t.app.url, tiny.apiKey, QUERY);
    expectRateLimited(refused, 3 * cost);
    expect(refused.body.errors![0]!.message).toMatch(new RegExp(`query cost of ${3 * cost} per minute`));
    // `__typename` alone costs 1: the quota is spent for every operation until the window ends.
    expectRateLimited(await post(t.app.url, tiny.apiKey, '{ __typename }'), 3 * cost);
  });

  it('lets a tenant whose requests are cheap make many within the same cost', async () => {
    const cheap = await costOf('{ __typename }');
    const t = await startTestApp({ redisUrl: undefined });
    const tiny = await memberOnPlan(t.app.orm, Role.VIEWER, { queryCostPerMinute: 10 * cheap });
    for (let i = 0; i < 10; i++) expect((await post(t.app.url, tiny.apiKey, '{ __typename }')).status).toBe(200);
    expectRateLimited(await post(t.app.url, tiny.apiKey, '{ __typename }'), 10 * cheap);
  });
});

describe.skipIf(!redisUrl)('quotas in Redis', () => {
  it('share one count between two instances: 6 requests split across both, the 7th refused on either', async () => {
    const namespace = `test-quotas-${Date.now()}`;
    const a = await startTestApp({ redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ redisUrl, redisNamespace: namespace });
    const tiny = await memberOnPlan(a.app.orm, Role.VIEWER, { requestsPerMinute: 6 });
    for (let i = 0; i < 6; i++) {
      const response = await post((i % 2 === 0 ? a : b).app.url, tiny.apiKey, QUERY);
      expect(response.status).toBe(200);
    }
    expectRateLimited(await post(a.app.url, tiny.apiKey, QUERY), 6);
    expectRateLimited(await post(b.app.url, tiny.apiKey, QUERY), 6);
  });

  it('share the cost count between two instances', async () => {
    const cost = await costOf(QUERY);
    const namespace = `test-quotas-cost-${Date.now()}`;
    const a = await startTestApp({ redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ redisUrl, redisNamespace: namespace });
    const tiny = await memberOnPlan(a.app.orm, Role.VIEWER, { queryCostPerMinute: 2 * cost });
    expect((await post(a.app.url, tiny.apiKey, QUERY)).status).toBe(200);
    expect((await post(b.app.url, tiny.apiKey, QUERY)).status).toBe(200);
    expectRateLimited(await post(a.app.url, tiny.apiKey, QUERY), 2 * cost);
  });

  it('count apart for deployments with different namespaces on one Redis', async () => {
    const a = await startTestApp({ redisUrl, redisNamespace: `test-quotas-a-${Date.now()}` });
    const b = await startTestApp({ redisUrl, redisNamespace: `test-quotas-b-${Date.now()}` });
    const tiny = await memberOnPlan(a.app.orm, Role.VIEWER, { requestsPerMinute: 2 });
    for (let i = 0; i < 2; i++) expect((await post(a.app.url, tiny.apiKey, QUERY)).status).toBe(200);
    expectRateLimited(await post(a.app.url, tiny.apiKey, QUERY), 2);
    expect((await post(b.app.url, tiny.apiKey, QUERY)).status).toBe(200);
  });
});

describe('without Redis', () => {
  it('counts in each process: two instances without Redis each allow the full quota', async () => {
    const a = await startTestApp({ redisUrl: undefined });
    const b = await startTestApp({ redisUrl: undefined });
    const tiny = await memberOnPlan(a.app.orm, Role.VIEWER, { requestsPerMinute: 2 });
    for (const t of [a, b]) {
      for (let i = 0; i < 2; i++) expect((await post(t.app.url, tiny.apiKey, QUERY)).status).toBe(200);
      expectRateLimited(await post(t.app.url, tiny.apiKey, QUERY), 2);
    }
  });
});
