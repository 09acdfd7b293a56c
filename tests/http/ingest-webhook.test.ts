import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { signatureHeader } from '../../src/matches/ingest/webhook-signature';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CancelMatchEventDocument,
  CorrectMatchEventDocument,
  CreateIngestSourceDocument,
  IngestMatchEventsDocument,
  IngestSourcesDocument,
  MatchDetailDocument,
  RecordMatchEventDocument,
  RotateIngestSourceSecretDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: GraphqlClient;
let ingestKey: string;
let viewerKey: string;
let league: League;
let matchId: string;

beforeAll(async () => {
  t = await startTestApp();
  operator = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] })).apiKey);
  ingestKey = (await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey;
  viewerKey = (await createMember(t.app.orm, Role.OWNER)).apiKey;
  league = await createLeague(t.app.orm, 2);
  [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
});

async function newSource(): Promise<{ name: string; secret: string }> {
  const name = `feed-${unique()}`;
  const { createIngestSource } = await operator.data(CreateIngestSourceDocument, { name });
  return { name, secret: createIngestSource.secret };
}

interface Post {
  body: string;
  source?: string;
  signature?: string;
  key?: string;
}

async function post({ body, source, signature, key = ingestKey }: Post, path = '/ingest/events') {
  const response = await fetch(t.app.url.replace(/\/graphql$/, path), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': key,
      ...(source ? { 'matchcast-source': source } : {}),
      ...(signature ? { 'matchcast-signature': signature } : {}),
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const now = () => Math.floor(Date.now() / 1000);
const signed = (source: { name: string; secret: string }, body: string, at = now()): Post => ({
  body,
  source: source.name,
  signature: signatureHeader(source.secret, body, at),
});
const codeOf = (json: Record<string, unknown>) =>
  (json.errors as { extensions: { code: string } }[] | undefined)?.[0]?.extensions.code;

async function storedCount(source: string): Promise<number> {
  const [row] = await t.app.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>('select count(*)::int as n from match_event where source = ?', [source]);
  return row!.n;
}

describe('POST /ingest/events', () => {
  it('records a signed batch under the source, answers every outcome, and a repeat as DUPLICATE', async () => {
    const source = await newSource();
    const events = [
      { matchId, type: 'KICK_OFF', minute: 0, externalId: 'k' },
      { matchId, type: 'GOAL', minute: 9, teamId: league.teams[1]!.gid, externalId: 'g1' },
      { matchId, type: 'GOAL', minute: 10, externalId: 'no-team' },
      { matchId, type: 'NOT_A_TYPE', minute: 10, externalId: 'x' },
    ];
    const body = JSON.stringify({ events });
    const first = await post(signed(source, body));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ recorded: 2, duplicates: 0, rejected: 2 });
    const results = first.json.results as { outcome: string; error: { code: string } | null; event: unknown }[];
    expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['RECORDED', null],
      ['RECORDED', null],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'BAD_USER_INPUT'],
    ]);
    expect(results[1]!.event).toMatchObject({ type: 'GOAL', minute: 9, source: source.name, externalId: 'g1' });
    const { match } = await operator.data(MatchDetailDocument, { id: matchId });
    expect(match).toMatchObject({ status: 'LIVE', homeGoals: 0, awayGoals: 1 });

    const again = await post(signed(source, body));
    expect(again.json).toMatchObject({ recorded: 0, duplicates: 2, rejected: 2 });
    expect(await storedCount(source.name)).toBe(2);
    expect(fromGlobalId((results[0]!.event as { matchId: string }).matchId).id).toBe(fromGlobalId(matchId).id);
  });

  it('records signed bookmaker prices on /ingest/odds, each once, as ingestOdds does', async () => {
    const source = await newSource();
    const takenAt = new Date(Date.now() - 60_000).toISOString();
    const prices = [
      { matchId, bookmaker: 'webhook-book', market: 'ONE_X_TWO', prices: [2.1, 3.3, 3.5], takenAt },
      { matchId, bookmaker: 'webhook-book', market: 'OVER_UNDER', line: 2.5, prices: [1.9, 1.95], takenAt },
      { matchId, bookmaker: 'webhook-book', market: 'ONE_X_TWO', prices: [2.1, 3.3], takenAt: 'yesterday' },
    ];
    const body = JSON.stringify({ prices });
    const first = await post(signed(source, body), '/ingest/odds');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ recorded: 2, duplicates: 0, rejected: 1 });
    expect((first.json.results as { odds: unknown }[])[1]!.odds).toMatchObject({
      bookmaker: 'webhook-book',
      market: 'OVER_UNDER',
      line: 2.5,
      prices: [1.9, 1.95],
      takenAt,
    });
    const again = await post(signed(source, body), '/ingest/odds');
    expect(again.json).toMatchObject({ recorded: 0, duplicates: 2, rejected: 1 });
    const unsigned = await post({ body, source: source.name }, '/ingest/odds');
    expect(unsigned.status).toBe(401);
  });

  it('refuses only the item holding a NUL character (U+0000), applying the rest of the batch', async () => {
    const source = await newSource();
    const [otherMatch] = (await createMatches(t.app.orm, league, [
      { home: league.teams[1]!.id, away: league.teams[0]!.id, kickoff: new Date('2030-09-08T15:00:00Z') },
    ])) as [string];
    const team = league.teams[0]!.gid;
    const events = [
      { matchId: otherMatch, type: 'KICK_OFF', minute: 0, externalId: 'nul-k' },
      { matchId: otherMatch, type: 'YELLOW_CARD', minute: 13, teamId: team, externalId: 'nul-a' },
      { matchId: otherMatch, type: 'YELLOW_CARD', minute: 14, teamId: team, externalId: 'nul-b', detail: 'x\u0000' },
    ];
    const answer = await post(signed(source, JSON.stringify({ events })));
    expect(answer.status).toBe(200);
    const results = answer.json.results as { outcome: string; error: { code: string; message: string } | null }[];
    expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['RECORDED', null],
      ['RECORDED', null],
      ['REJECTED', 'BAD_USER_INPUT'],
    ]);
    expect(results[2]!.error!.message).toContain('detail');
    expect(await storedCount(source.name)).toBe(2);

    const takenAt = new Date(Date.now() - 60_000).toISOString();
    const prices = [
      { matchId: otherMatch, bookmaker: 'nul-book', market: 'ONE_X_TWO', prices: [2.1, 3.3, 3.5], takenAt },
      { matchId: otherMatch, bookmaker: 'nul\u0000book', market: 'ONE_X_TWO', prices: [2.1, 3.3, 3.5], takenAt },
    ];
    const priced = await post(signed(source, JSON.stringify({ prices })), '/ingest/odds');
    expect(priced.status).toBe(200);
    expect(priced.json).toMatchObject({ recorded: 1, rejected: 1 });
  });

  it('refuses a bad, stale, foreign or missing signature and an unknown source with 401, storing nothing', async () => {
    const source = await newSource();
    const other = await newSource();
    const body = JSON.stringify({ events: [{ matchId, type: 'YELLOW_CARD', minute: 20, externalId: 'y' }] });
    const cases: Post[] = [
      { ...signed(source, body), body: body.replace('20', '21') },
      signed(source, body, now() - 301),
      signed(source, body, now() + 301),
      { ...signed(other, body), source: source.name },
      { body, source: source.name },
      { ...signed(source, body), source: `unknown-${unique()}` },
    ];
    for (const attempt of cases) {
      const { status, json } = await post(attempt);
      expect([status, codeOf(json)], JSON.stringify(attempt)).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect(await storedCount(source.name)).toBe(0);
  });

  it('answers an unknown source exactly as a known one with the same bad signature: nothing tells which exist', async () => {
    const source = await newSource();
    const unknown = `unknown-${unique()}`;
    const body = JSON.stringify({ events: [] });
    const headers = [undefined, 'garbage', 't=1000,v1=abcd', `t=${now()},v1=${'0'.repeat(64)}`];
    for (const signature of headers) {
      const known = await post({ body, source: source.name, signature });
      const missing = await post({ body, source: unknown, signature });
      expect(known.status).toBe(401);
      const messageOf = (json: Record<string, unknown>) => (json.errors as { message: string }[])[0]!.message;
      expect(messageOf(missing.json), String(signature)).toBe(messageOf(known.json));
    }
  });

  it('needs a key with the INGEST or OPERATOR scope, a source header and a JSON body', async () => {
    const source = await newSource();
    const body = JSON.stringify({ events: [] });
    expect(await post({ ...signed(source, body), key: 'mc_not-a-valid-key-at-all' })).toMatchObject({ status: 401 });
    expect(await post({ ...signed(source, body), key: viewerKey })).toMatchObject({ status: 403 });
    const noSource = await post({ ...signed(source, body), source: undefined });
    expect([noSource.status, codeOf(noSource.json)]).toEqual([400, 'BAD_USER_INPUT']);
    const notJson = await post(signed(source, 'events: []'));
    expect([notJson.status, codeOf(notJson.json)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(await post(signed(source, body))).toMatchObject({ status: 200, json: { recorded: 0, results: [] } });
    // Over the batch limit: LIMIT_EXCEEDED, as ingestMatchEvents answers, and nothing stored.
    const events = Array.from({ length: 1001 }, (_, i) => ({
      matchId,
      type: 'YELLOW_CARD',
      minute: 1,
      externalId: `l${i}`,
    }));
    const tooMany = await post(signed(source, JSON.stringify({ events })));
    expect(codeOf(tooMany.json)).toBe('LIMIT_EXCEEDED');
    expect(await storedCount(source.name)).toBe(0);
  });

  it("refuses a registered source's name over GraphQL (FORBIDDEN), so no key without its secret records under it", async () => {
    const feed = t.client(ingestKey);
    const name = `feed-${unique()}`;
    // Used while unknown (and so cached as unknown), then registered: refused from then on.
    const before = await feed.data(IngestMatchEventsDocument, {
      events: [
        { matchId, type: 'YELLOW_CARD', minute: 30, teamId: league.teams[0]!.gid, source: name, externalId: 'u1' },
      ],
    });
    expect(before.ingestMatchEvents.recorded).toBe(1);
    await operator.data(CreateIngestSourceDocument, { name });
    const events = [
      {
        matchId,
        type: 'YELLOW_CARD' as const,
        minute: 31,
        teamId: league.teams[0]!.gid,
        source: name,
        externalId: 's1',
      },
      {
        matchId,
        type: 'YELLOW_CARD' as const,
        minute: 31,
        teamId: league.teams[1]!.gid,
        source: 'plain',
        externalId: unique(),
      },
    ];
    const { ingestMatchEvents } = await feed.data(IngestMatchEventsDocument, { events });
    expect(ingestMatchEvents.results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['REJECTED', 'FORBIDDEN'],
      ['RECORDED', null],
    ]);
    expect(
      await feed.errorCodes(RecordMatchEventDocument, {
        input: {
          matchId,
          type: 'YELLOW_CARD',
          minute: 32,
          teamId: league.teams[0]!.gid,
          source: name,
          externalId: 's2',
        },
      }),
    ).toEqual(['FORBIDDEN']);
    expect(await storedCount(name)).toBe(1);
  });

  it('verifies with the new secret only once an operator rotates it', async () => {
    const source = await newSource();
    const body = JSON.stringify({ events: [] });
    // Verified once with the old secret (so it is cached), which stops working at the rotation.
    expect((await post(signed(source, body))).status).toBe(200);
    const { rotateIngestSourceSecret } = await operator.data(RotateIngestSourceSecretDocument, { name: source.name });
    expect((await post(signed(source, body))).status).toBe(401);
    expect((await post(signed({ ...source, secret: rotateIngestSourceSecret.secret }, body))).status).toBe(200);
    const { ingestSources } = await operator.data(IngestSourcesDocument);
    expect(ingestSources.map((s) => s.name)).toContain(source.name);
    expect(JSON.stringify(ingestSources)).not.toContain('whsec_');
  });
});

describe('POST /ingest/corrections', () => {
  // Each test's own match (a pairing is played once a season), home goals at 9' and 20'.
  async function liveMatchWithSignedGoals(source: {
    name: string;
    secret: string;
  }): Promise<{ id: string; away: string }> {
    const own = await createLeague(t.app.orm, 2);
    const [id] = (await createMatches(t.app.orm, own, [
      { home: own.teams[0]!.id, away: own.teams[1]!.id, kickoff: new Date(Date.now() + 3600_000) },
    ])) as [string];
    const events = [
      { matchId: id, type: 'KICK_OFF', minute: 0, externalId: 'k' },
      { matchId: id, type: 'GOAL', minute: 9, teamId: own.teams[0]!.gid, externalId: 'g1' },
      { matchId: id, type: 'GOAL', minute: 20, teamId: own.teams[0]!.gid, externalId: 'g2' },
    ];
    const { json } = await post(signed(source, JSON.stringify({ events })));
    expect(json).toMatchObject({ recorded: 3, rejected: 0 });
    return { id, away: own.teams[1]!.gid };
  }

  it('lets a signed source cancel and correct its own events by their keys, in order, each outcome answered', async () => {
    const source = await newSource();
    const { id, away } = await liveMatchWithSignedGoals(source);
    const corrections = [
      { externalId: 'g1', cancel: true },
      { externalId: 'g2', teamId: away, detail: 'deflected' },
      { externalId: 'g1', cancel: true },
      { externalId: 'nobody-sent-this', cancel: true },
      { externalId: 'k', cancel: true, minute: 3 },
      { externalId: 'g2', minute: 151 },
    ];
    const { status, json } = await post(signed(source, JSON.stringify({ corrections })), '/ingest/corrections');
    expect(status).toBe(200);
    expect(json).toMatchObject({ cancelled: 1, corrected: 1, rejected: 4 });
    const results = json.results as {
      outcome: string;
      error: { code: string } | null;
      event: Record<string, unknown> | null;
    }[];
    expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['CANCELLED', null],
      ['CORRECTED', null],
      ['REJECTED', 'INVALID_STATE'], // cancelled already: a retry changes nothing twice
      ['REJECTED', 'NOT_FOUND'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'BAD_USER_INPUT'],
    ]);
    expect(results[0]!.event).toMatchObject({ externalId: 'g1', cancelledAt: expect.any(String) });
    expect(results[1]!.event).toMatchObject({ externalId: 'g2', detail: 'deflected', correctedAt: expect.any(String) });
    const { match } = await operator.data(MatchDetailDocument, { id });
    expect(match).toMatchObject({ status: 'LIVE', homeGoals: 0, awayGoals: 1 });
  });

  it("reaches only the posting source's events, and refuses a bad signature with 401, changing nothing", async () => {
    const source = await newSource();
    const other = await newSource();
    const { id } = await liveMatchWithSignedGoals(source);
    const body = JSON.stringify({ corrections: [{ externalId: 'g1', cancel: true }] });
    // The other source's own key space: it has no g1, so nothing of the first source is touched.
    const foreign = await post(signed(other, body), '/ingest/corrections');
    expect((foreign.json.results as { error: { code: string } }[])[0]!.error.code).toBe('NOT_FOUND');
    const forged = await post(
      { ...signed(source, body), signature: signatureHeader(other.secret, body, now()) },
      '/ingest/corrections',
    );
    expect(forged.status).toBe(401);
    const { match } = await operator.data(MatchDetailDocument, { id });
    expect(match).toMatchObject({ homeGoals: 2, awayGoals: 0 });
  });

  it("refuses an INGEST key's GraphQL cancel or correction of a signed source's event (FORBIDDEN); an OPERATOR key may", async () => {
    const source = await newSource();
    const { id } = await liveMatchWithSignedGoals(source);
    const { match } = await operator.data(MatchDetailDocument, { id });
    const goal = match!.events.find((e) => e.type === 'GOAL')!;
    const feed = t.client(ingestKey);
    expect(await feed.errorCodes(CancelMatchEventDocument, { id: goal.id })).toEqual(['FORBIDDEN']);
    expect(await feed.errorCodes(CorrectMatchEventDocument, { id: goal.id, input: { minute: 10 } })).toEqual([
      'FORBIDDEN',
    ]);
    const { cancelMatchEvent } = await operator.data(CancelMatchEventDocument, { id: goal.id });
    expect(cancelMatchEvent.match).toMatchObject({ homeGoals: 1, awayGoals: 0 });
  });
});
