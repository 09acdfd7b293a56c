import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { MatchesNestedDocument, MatchUpdatedDocument, RecordMatchEventDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, unique } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

// The manifest `npm run codegen` writes for the typed documents the tests use (codegen.yml).
const MANIFEST = path.resolve(__dirname, '../generated/persisted-documents.json');
const ARBITRARY = '{ matches(first: 1) { totalCount } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const idOf = (document: TypedDocumentNode<unknown, never>) =>
  (document as unknown as { __meta__: { hash: string } }).__meta__.hash;

interface Answer {
  status: number;
  data?: unknown;
  codes: string[];
}

async function post(app: TestApp, apiKey: string | null, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(app.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return {
    status: response.status,
    data: answer.data,
    codes: (answer.errors ?? []).map((e) => String(e.extensions?.code)),
  };
}

const persisted = (text: string, withQuery: boolean) => ({
  ...(withQuery ? { query: text } : {}),
  extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
});

describe('trusted documents for one tenant', () => {
  let t: TestApp;
  let locked: string;
  let open: string;
  let ingest: string;
  const lockedSlug = `locked-${unique()}`;
  const variables = { first: 1 };

  beforeAll(async () => {
    t = await startTestApp({ trustedDocuments: { manifests: [MANIFEST], only: [lockedSlug] } });
    const member = await createMember(t.app.orm, Role.VIEWER);
    await t.app.orm.em
      .fork()
      .getConnection()
      .execute('update tenant set slug = ? where id = ?', [lockedSlug, member.tenantId]);
    locked = member.apiKey;
    open = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
    ingest = (await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey;
  });

  it('runs a registered document called by its documentId, for every tenant', async () => {
    for (const key of [locked, open]) {
      const answer = await post(t, key, { documentId: idOf(MatchesNestedDocument), variables });
      expect(answer.codes).toEqual([]);
      expect(answer.data).toMatchObject({ matches: { totalCount: expect.any(Number) } });
    }
    expect((await post(t, open, { documentId: `sha256:${sha256(ARBITRARY)}` })).codes).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('refuses any other document from the tenant held to registered ones, and only from it', async () => {
    const refused = await post(t, locked, { query: ARBITRARY });
    expect(refused).toMatchObject({ status: 400, codes: ['PERSISTED_QUERY_NOT_IN_LIST'] });
    expect(refused.data).toBeUndefined();
    // The typed document's own text is not the registered (normalised) one: refused too.
    expect((await post(t, locked, { query: print(MatchesNestedDocument), variables })).codes).toEqual([
      'PERSISTED_QUERY_NOT_IN_LIST',
    ]);
    expect(await post(t, open, { query: ARBITRARY })).toMatchObject({ status: 200, codes: [] });
  });

  it('keeps automatic persisted queries working: registered ones by hash alone, others only where allowed', async () => {
    const registered = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const body = registered[idOf(MatchesNestedDocument)]!;
    expect((await post(t, locked, { ...persisted(body, false), variables })).codes).toEqual([]);

    const text = `{ matches(first: 2) { totalCount } } # ${unique()}`;
    expect((await post(t, open, persisted(text, false))).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post(t, open, persisted(text, true))).codes).toEqual([]);
    expect((await post(t, open, persisted(text, false))).codes).toEqual([]);
    // Apollo now knows the hash, but the locked tenant may not use it, nor register one of its own.
    expect((await post(t, locked, persisted(text, false))).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post(t, locked, persisted(`${text} `, true))).codes).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  it('holds subscriptions over WebSocket to the same rule, and runs a registered one by documentId', async () => {
    const league = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const ws = createClient({
      url: t.app.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': locked },
      retryAttempts: 0,
    });
    try {
      const refused = await new Promise<unknown>((resolve) => {
        ws.subscribe(
          { query: print(MatchUpdatedDocument), variables: { matchId: matchId! } },
          { next: () => {}, error: resolve, complete: () => resolve(null) },
        );
      });
      expect(refused).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_IN_LIST' }) }),
      ]);

      const events: unknown[] = [];
      const errors: unknown[] = [];
      ws.subscribe(
        {
          query: '',
          variables: { matchId: matchId! },
          extensions: {},
          documentId: idOf(MatchUpdatedDocument),
        } as never,
        { next: (value) => events.push(value.data), error: (error) => errors.push(error), complete: () => {} },
      );
      await new Promise((r) => setTimeout(r, 300));
      const client = { query: print(RecordMatchEventDocument) };
      const recorded = await post(t, ingest, {
        ...client,
        variables: { input: { matchId, type: 'KICK_OFF', minute: 0, source: 'trusted', externalId: unique() } },
      });
      expect(recorded.codes).toEqual([]);
      const deadline = Date.now() + 3000;
      while (events.length === 0 && errors.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual([]);
      expect(events).toEqual([{ matchUpdated: expect.objectContaining({ id: matchId, status: 'LIVE' }) }]);
    } finally {
      await ws.dispose();
    }
  });
});

describe('trusted documents for the whole deployment', () => {
  it('refuses any other document from every caller, before authentication, and still runs registered ones', async () => {
    const t = await startTestApp({ trustedDocuments: { manifests: [MANIFEST], only: 'all' } });
    const member = await createMember(t.app.orm, Role.VIEWER);
    expect(await post(t, null, { query: ARBITRARY })).toMatchObject({
      status: 400,
      codes: ['PERSISTED_QUERY_NOT_IN_LIST'],
    });
    expect((await post(t, member.apiKey, { query: ARBITRARY })).codes).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    const answer = await post(t, member.apiKey, { documentId: idOf(MatchesNestedDocument), variables: { first: 1 } });
    expect(answer.codes).toEqual([]);
  });
});
