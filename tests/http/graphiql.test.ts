import { existsSync } from 'node:fs';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { RecordMatchEventDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { CHROMIUM_PATH, launchChromium, runInGraphiql } from './graphiql.helpers';

// Chromium comes from Debian's package (.ci/run installs it); a missing one fails under CI.
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true but no Chromium at ${CHROMIUM_PATH}`);
if (!hasChromium) console.warn(`[tests] SKIPPED GraphiQL browser test: no Chromium at ${CHROMIUM_PATH}`);

describe.skipIf(!hasChromium)('GraphiQL in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let apiKey: string;
  let league: League;

  beforeAll(async () => {
    t = await startTestApp();
    apiKey = (await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey;
    league = await createLeague(t.app.orm, 2);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('serves a self-hosted explorer that runs a query and a live subscription', async () => {
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    const externalRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.host !== new URL(t.app.url).host) externalRequests.push(url.href);
    });
    const response = await page.goto(t.app.url);
    expect(response?.status()).toBe(200);

    const headers = JSON.stringify({ 'x-api-key': apiKey });
    await page.evaluate(
      `document.querySelectorAll('.graphiql-editor-tool .CodeMirror')[1].CodeMirror.setValue(${JSON.stringify(headers)})`,
    );
    // GraphiQL's own introspection (depth 21) is let through the depth and cost limits.
    // (The one at load had no key: its answer is UNAUTHENTICATED.)
    const introspected = await refetchSchemaWithKey(page, apiKey);
    const schema = (await introspected.json()) as {
      data?: { __schema: { types: unknown[] } };
      errors?: unknown;
    };
    expect(schema.errors).toBeUndefined();
    expect(schema.data?.__schema.types.length).toBeGreaterThan(10);
    const queryResult = await runInGraphiql(page, `query { match(id: "${matchId}") { status homeTeam { name } } }`);
    expect(JSON.parse(queryResult)).toEqual({
      data: { match: { status: 'SCHEDULED', homeTeam: { name: league.teams[0]!.name } } },
    });

    const subscriptionResult = runInGraphiql(
      page,
      `subscription { matchUpdated(matchId: "${matchId}") { status minute } }`,
    );
    // The page's subscription is running once the server counts it (a fixed wait lost the race
    // under a loaded machine: the event was published before the feed had started).
    await untilSubscriptionRuns(t, 'matchUpdated');
    await t.client(apiKey).data(RecordMatchEventDocument, {
      input: { matchId: matchId!, type: 'KICK_OFF', minute: 0, source: 'browser-test', externalId: unique() },
    });
    expect(JSON.parse(await subscriptionResult)).toEqual({ data: { matchUpdated: { status: 'LIVE', minute: 0 } } });
    expect(failedRequests).toEqual([]);
    expect(externalRequests).toEqual([]);
  });
});

async function untilSubscriptionRuns(t: TestApp, field: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const gauge = t.app.deps.metrics!.registry.getSingleMetric('matchcast_subscriptions_active')!;
  while (Date.now() < deadline) {
    const { values } = await gauge.get();
    if (values.some((v) => v.labels.field === field && v.value >= 1)) {
      // Counted when its group has started; its source listens from the group's first read on.
      await new Promise((r) => setTimeout(r, 100));
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${field} subscription started within ${timeoutMs} ms`);
}

// A click on re-fetch is ignored while GraphiQL is still fetching the schema it loads with, or
// before it has taken the new headers in: on a loaded machine the first click can be lost.
async function refetchSchemaWithKey(page: Page, apiKey: string, timeoutMs = 20_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const introspected = page.waitForResponse(
      (answer) =>
        (answer.request().postData() ?? '').includes('__schema') && answer.request().headers()['x-api-key'] === apiKey,
      { timeout: 3_000 },
    );
    await page.click('button[aria-label="Re-fetch GraphQL schema"]');
    const answer = await introspected.catch(() => undefined);
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`GraphiQL did not re-fetch the schema with the key in ${timeoutMs} ms`);
  }
}
