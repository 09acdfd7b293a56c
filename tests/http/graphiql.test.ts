import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
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
    const introspected = page.waitForResponse(
      (answer) =>
        (answer.request().postData() ?? '').includes('__schema') && answer.request().headers()['x-api-key'] === apiKey,
    );
    await page.click('button[aria-label="Re-fetch GraphQL schema"]');
    const schema = (await (await introspected).json()) as {
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
    await new Promise((r) => setTimeout(r, 1000));
    await t.client(apiKey).data(RecordMatchEventDocument, {
      input: { matchId: matchId!, type: 'KICK_OFF', minute: 0, source: 'browser-test', externalId: unique() },
    });
    expect(JSON.parse(await subscriptionResult)).toEqual({ data: { matchUpdated: { status: 'LIVE', minute: 0 } } });
    expect(failedRequests).toEqual([]);
    expect(externalRequests).toEqual([]);
  });
});
