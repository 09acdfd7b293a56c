import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { startTracing, type Tracing } from '../../src/tracing/tracing';
import {
  IngestMatchEventsDocument,
  MatchesNestedDocument,
  MatchUpdatedDocument,
  NodeDocument,
} from '../generated/graphql';
import type { League } from '../support/factories';
import { GraphqlClient, Subscription } from '../support/graphql-client';
import type { TestApp } from '../support/test-app';

const exporter = new InMemorySpanExporter();
const logLines: Record<string, unknown>[] = [];
let tracing: Tracing;
let t: TestApp;
let factories: typeof import('../support/factories');
let league: League;
let viewerKey: string;
let ingestKey: string;

beforeAll(async () => {
  tracing = await startTracing(
    {
      exporter: 'otlp',
      endpoint: 'http://127.0.0.1:9/v1/traces',
      sampler: { ratio: 1, parentBased: true },
      serviceName: 'matchcast-test',
    },
    { exporter },
  );
  // The server's modules (and with them pg and the Redis clients) load once tracing has started,
  // as src/main.ts loads them.
  const { startTestApp } = await import('../support/test-app.js');
  factories = await import('../support/factories.js');
  t = await startTestApp({}, { logLines, logLevel: 'info' });
  viewerKey = (await factories.createMember(t.app.orm, Role.VIEWER)).apiKey;
  ingestKey = (await factories.createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey;
  league = await factories.createLeague(t.app.orm, 4);
});

afterAll(() => tracing.shutdown());

/** A caller's W3C traceparent: the server's spans must join this trace, under this parent. */
function callerTrace() {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

async function post<T, V>(document: TypedDocumentNode<T, V>, variables: V, apiKey: string, traceparent: string) {
  const response = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, traceparent },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as { data?: T; errors?: { extensions?: Record<string, unknown> }[] };
}

function spansOf(traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

const parentOf = (span: ReadableSpan, spans: ReadableSpan[]) =>
  spans.find((other) => other.spanContext().spanId === span.parentSpanContext?.spanId);

function named(spans: ReadableSpan[], name: string): ReadableSpan[] {
  const found = spans.filter((span) => span.name === name);
  expect(found, `a span named ${name} in ${spans.map((s) => s.name).join(', ')}`).not.toHaveLength(0);
  return found;
}

/** Span names from `span` up to the trace's root within the server. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const names: string[] = [];
  for (let at = parentOf(span, spans); at; at = parentOf(at, spans)) names.push(at.name);
  return names;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('a traced nested query', () => {
  it("joins the caller's trace, with spans for HTTP, parse, validate, execute, I/O resolvers, DataLoader batches and SQL", async () => {
    const matchIds = await factories.createMatches(
      t.app.orm,
      league,
      factories.roundRobin(league, new Date('2030-08-10T14:00:00Z')),
    );
    for (const id of matchIds.slice(0, 3))
      await factories.addOdds(t.app.orm, fromGlobalId(id).id, 'pinnacle', [2.1, 3.4, 3.6]);
    const caller = callerTrace();
    const answer = await post(
      MatchesNestedDocument,
      { filter: { competition: league.code }, first: 3 },
      viewerKey,
      caller.traceparent,
    );
    expect(answer.errors).toBeUndefined();
    await until(() => spansOf(caller.traceId).some((span) => span.kind === SpanKind.SERVER));
    const spans = spansOf(caller.traceId);

    const [request] = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(request!.parentSpanContext?.spanId).toBe(caller.parentId);
    expect(request!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'graphql.operation.name': 'MatchesNested',
      'graphql.operation.type': 'query',
    });
    for (const phase of ['graphql.parse', 'graphql.validate', 'query MatchesNested']) {
      expect(parentOf(named(spans, phase)[0]!, spans)).toBe(request);
    }
    const [matches] = named(spans, 'Query.matches');
    expect(parentOf(matches!, spans)!.name).toBe('query MatchesNested');
    // Each relation resolver under the field that asked for it; plain fields have no span.
    const homeTeams = named(spans, 'Match.homeTeam');
    expect(homeTeams).toHaveLength(3);
    for (const span of homeTeams) expect(parentOf(span, spans)).toBe(matches);
    expect(spans.filter((span) => span.name.startsWith('Team.') || span.name === 'Match.id')).toHaveLength(0);
    const batches = spans.filter((span) => span.name.startsWith('dataloader.batch '));
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect(ancestry(batch, spans)).toContain('query MatchesNested');

    const statements = spans.filter((span) => span.name.startsWith('pg.query:'));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.attributes['db.query.text']).toEqual(expect.any(String));
      expect(ancestry(statement, spans)).toContain(request!.name);
    }
    // The page's statement is a prepared one: its span is named by it.
    expect(statements.some((span) => typeof span.attributes['db.postgresql.plan'] === 'string')).toBe(true);
    expect(statements.some((span) => batches.includes(parentOf(span, spans)!))).toBe(true);
    if (process.env.REDIS_URL) {
      expect(spans.some((span) => span.attributes['db.system.name'] === 'redis')).toBe(true);
    }
    // Parameter values (the competition code, the API key) never reach a span.
    const recorded = JSON.stringify(spans.map((span) => span.attributes));
    expect(recorded).not.toContain(league.code);
    expect(recorded).not.toContain(viewerKey);
  });

  it('records nothing for a caller that did not sample its trace, and answers the same', async () => {
    const caller = callerTrace();
    const unsampled = caller.traceparent.replace(/-01$/, '-00');
    const answer = await post(
      MatchesNestedDocument,
      { filter: { competition: league.code }, first: 3 },
      viewerKey,
      unsampled,
    );
    expect(answer.data?.matches.edges).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(spansOf(caller.traceId)).toEqual([]);
    // Its errors still carry the caller's trace id.
    const failed = await post(NodeDocument, { id: 'not-a-global-id' }, viewerKey, unsampled);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ traceId: caller.traceId });
  });

  it("puts the trace id on the request's errors and log lines", async () => {
    const caller = callerTrace();
    const answer = await post(NodeDocument, { id: 'not-a-global-id' }, viewerKey, caller.traceparent);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ traceId: caller.traceId, requestId: expect.any(String) });
    const requestId = answer.errors![0]!.extensions!.requestId;
    await until(() => logLines.some((line) => line.requestId === requestId));
    expect(logLines.filter((line) => line.requestId === requestId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ traceId: caller.traceId, spanId: expect.any(String) })]),
    );
  });
});

describe('a traced ingested event', () => {
  it('follows the event from ingest through recompute and publish to its delivery to a subscription group', async () => {
    const pair = await factories.createLeague(t.app.orm, 2);
    const [matchId] = await factories.createMatches(t.app.orm, pair, [
      { home: pair.teams[0]!.id, away: pair.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const ws = new GraphqlClient(t.app.url, viewerKey).websocket();
    const subscription = new Subscription(ws, MatchUpdatedDocument, { matchId: matchId! });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const caller = callerTrace();
      const event = {
        matchId: matchId!,
        type: 'KICK_OFF' as const,
        minute: 0,
        source: 'trace-test',
        externalId: caller.traceId,
      };
      const answer = await post(IngestMatchEventsDocument, { events: [event] }, ingestKey, caller.traceparent);
      expect(answer.errors).toBeUndefined();
      await subscription.waitFor(1);
      await until(() => spansOf(caller.traceId).some((span) => span.name === 'live.deliver'));
      const spans = spansOf(caller.traceId);

      const [ingest] = named(spans, 'live.ingest');
      expect(ancestry(ingest!, spans)).toEqual(
        expect.arrayContaining(['Mutation.ingestMatchEvents', 'mutation IngestMatchEvents']),
      );
      const [record] = named(spans, 'live.record');
      expect(parentOf(record!, spans)).toBe(ingest);
      expect(parentOf(named(spans, 'live.recompute')[0]!, spans)).toBe(record);
      const writes = spans.filter((span) => span.name.startsWith('pg.query:') && parentOf(span, spans) === record);
      expect(writes.length).toBeGreaterThan(0);
      const [publish] = named(spans, 'live.publish');
      expect(parentOf(publish!, spans)).toBe(record);
      const [published] = named(spans, 'publish MATCH_UPDATED');
      expect(published!.kind).toBe(SpanKind.PRODUCER);
      expect(parentOf(published!, spans)).toBe(publish);
      const deliveries = named(spans, 'live.deliver');
      expect(deliveries.map((span) => parentOf(span, spans)?.name)).toContain('publish MATCH_UPDATED');
      const delivery = deliveries.find((span) => parentOf(span, spans) === published)!;
      expect(delivery.kind).toBe(SpanKind.CONSUMER);
      expect(delivery.attributes).toMatchObject({
        'graphql.operation.name': 'MatchUpdated',
        'matchcast.subscribers': 1,
      });
      if (process.env.REDIS_URL) {
        // Through Redis: its PUBLISH is the publish span's child.
        const redisPublishes = spans.filter(
          (span) => span.attributes['db.system.name'] === 'redis' && /publish/i.test(span.name),
        );
        expect(redisPublishes.map((span) => parentOf(span, spans))).toContain(published);
      }
    } finally {
      subscription.close();
      await ws.dispose();
    }
  });
});
