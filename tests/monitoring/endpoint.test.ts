import { beforeAll, describe, expect, it } from 'vitest';
import { CompetitionsDocument } from '../generated/graphql';
import { HIDDEN_TENANT } from '../../src/metrics/prometheus';
import { Role } from '../../src/tenants/role';
import { createMember } from '../support/factories';
import { claimsOf } from '../support/jwt';
import { startTestApp, type TestApp } from '../support/test-app';
import { parseExposition, samplesOf, total } from './exposition';

const TOKEN = 'metrics-token-for-tests-0123456789';

// Started in beforeAll: startTestApp registers their closing with afterAll.
let withToken: TestApp;
let withPort: TestApp;
let other: TestApp;
let oneAtATime: TestApp;
let open: TestApp;

beforeAll(async () => {
  withToken = await startTestApp({ metrics: { token: TOKEN } });
  withPort = await startTestApp({ metrics: { port: 0 } });
  other = await startTestApp();
  oneAtATime = await startTestApp({ maxInFlightRequests: 1 });
  open = await startTestApp();
});

describe('METRICS_TOKEN', () => {
  it('refuses /metrics without the bearer token, or with another, and serves it with it', async () => {
    const t = withToken;
    expect(t.app.metricsUrl).toBe(t.app.url.replace('/graphql', '/metrics'));
    const none = await fetch(t.app.metricsUrl);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.text()).not.toContain('matchcast_');
    const wrong = await fetch(t.app.metricsUrl, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(t.app.metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(parseExposition(await right.text()).types.get('matchcast_graphql_operations_total')).toBe('counter');
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port only, counting the API port’s traffic', async () => {
    const t = withPort;
    const metricsPort = Number(new URL(t.app.metricsUrl).port);
    expect(metricsPort).not.toBe(t.app.port);
    const viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    await viewer.data(CompetitionsDocument);
    // Not on the API's port any more: a JSON 404 like any unknown path.
    const onApiPort = await fetch(t.app.url.replace('/graphql', '/metrics'));
    expect(onApiPort.status).toBe(404);
    const scraped = await fetch(t.app.metricsUrl);
    expect(scraped.status).toBe(200);
    const scrape = parseExposition(await scraped.text());
    expect(total(scrape, 'matchcast_graphql_operations_total', { operation: 'Competitions' })).toBe(1);
    // Only /metrics there: not the API.
    expect((await fetch(t.app.metricsUrl.replace('/metrics', '/graphql'))).status).toBe(404);
  });
});

describe('two apps in one process', () => {
  it('count on registries of their own', async () => {
    const viewer = other.client((await createMember(other.app.orm, Role.VIEWER)).apiKey);
    await viewer.data(CompetitionsDocument);
    const scrapeOf = async (url: string, headers: Record<string, string> = {}) =>
      parseExposition(await (await fetch(url, { headers })).text());
    expect(total(await scrapeOf(other.app.metricsUrl), 'matchcast_graphql_operations_total')).toBe(1);
    const untouched = await scrapeOf(withToken.app.metricsUrl, { authorization: `Bearer ${TOKEN}` });
    expect(total(untouched, 'matchcast_graphql_operations_total')).toBe(0);
  });
});

describe('load shedding', () => {
  it('counts the requests refused with 503 as shed, apart from the operations served', async () => {
    const apiKey = (await createMember(oneAtATime.app.orm, Role.VIEWER)).apiKey;
    const ask = () =>
      fetch(oneAtATime.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query: '{ competitions { code seasons { label } } }' }),
      });
    const answers = await Promise.all(Array.from({ length: 30 }, ask));
    for (const answer of answers) if (!answer.bodyUsed) await answer.body?.cancel();
    const shed = answers.filter((answer) => answer.status === 503).length;
    expect(shed).toBeGreaterThan(0);
    const scrape = parseExposition(await (await fetch(oneAtATime.app.metricsUrl)).text());
    expect(total(scrape, 'matchcast_http_requests_shed_total')).toBe(shed);
    expect(total(scrape, 'matchcast_graphql_operations_total')).toBe(30 - shed);
  });
});

describe('tenant labels', () => {
  const tenantsIn = (text: string) =>
    samplesOf(parseExposition(text), 'matchcast_tenant_operations_total').map((sample) => sample.labels.tenant);

  it('are hidden from an open /metrics: an anonymous scrape names no tenant', async () => {
    const member = await createMember(open.app.orm, Role.VIEWER);
    const { tenant } = await claimsOf(open.app.orm, member);
    await open.client(member.apiKey).data(CompetitionsDocument);
    const text = await (await fetch(open.app.metricsUrl)).text();
    expect(text).not.toContain(tenant);
    expect(tenantsIn(text)).toEqual([HIDDEN_TENANT]);
  });

  it('name each tenant behind METRICS_TOKEN or on METRICS_PORT', async () => {
    for (const [t, headers] of [
      [withToken, { authorization: `Bearer ${TOKEN}` }],
      [withPort, {}],
    ] as const) {
      const member = await createMember(t.app.orm, Role.VIEWER);
      const { tenant } = await claimsOf(t.app.orm, member);
      await t.client(member.apiKey).data(CompetitionsDocument);
      expect(tenantsIn(await (await fetch(t.app.metricsUrl, { headers })).text())).toContain(tenant);
    }
  });
});
