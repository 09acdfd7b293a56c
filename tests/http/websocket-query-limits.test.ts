import { getIntrospectionQuery } from 'graphql';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { createMember } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { RawSocket } from '../live/raw-socket';

let t: TestApp;
let apiKey: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function open(): Promise<RawSocket> {
  const socket = await RawSocket.open(t.app.url, apiKey);
  cleanups.push(() => socket.close());
  return socket;
}

interface ErrorLike {
  message: string;
  extensions?: { code?: string };
}

async function httpCodes(query: string): Promise<string[]> {
  const response = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: ErrorLike[] };
  return (body.errors ?? []).map((e) => String(e.extensions?.code));
}

/** The error codes the WebSocket answers an operation with, and how long it took. */
async function wsCodes(socket: RawSocket, query: string): Promise<{ codes: string[]; ms: number }> {
  const id = `op-${socket.messages.length}-${Math.random()}`;
  const started = performance.now();
  socket.subscribe(id, query);
  await socket.until(() => socket.messages.some((m) => m.id === id && m.type !== 'next'), 10_000);
  const errors = socket.messages
    .filter((m) => m.id === id)
    .flatMap((m) =>
      m.type === 'error' ? (m.payload as ErrorLike[]) : ((m.payload as { errors?: ErrorLike[] })?.errors ?? []),
    );
  return { codes: errors.map((e) => String(e.extensions?.code)), ms: performance.now() - started };
}

const repeat = (n: number, text: (i: number) => string) => Array.from({ length: n }, (_, i) => text(i)).join(' ');

const OVER_THE_LIMITS: Record<string, string> = {
  tokens: `{ ${repeat(700, () => 'competitions { code }')} }`,
  aliases: `{ ${repeat(30, (i) => `a${i}: competitions { code }`)} }`,
  depth:
    '{ node(id: "x") { id ... on Prediction { match { latestPrediction { match { latestPrediction { match { season { competition { seasons { competition { seasons { label } } } } } } } } } } } } }',
  directives: `{ competitions { ${repeat(25, () => 'code @include(if: true)')} } }`,
  cost: `{ ${repeat(2, (i) => `m${i}: matches(first: 100) { edges { node { events { id minute type } odds { prices closing bookmaker } predictions { homeWin draw awayWin modelName } homeTeam { name } awayTeam { name } season { label } latestPrediction { homeWin } } } }`)} }`,
  'depth (60 levels of introspection)': `query IntrospectionQuery { __schema { types { fields { type { ${repeat(56, () => 'ofType {')} name ${repeat(56, () => '}')} } } } } }`,
  'cost (introspection 10 levels deep)': `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ${repeat(200, () => 'ofType { name kind }')} } } } } } } } } }`,
  '10,000 aliases in a subscription': `subscription { matchUpdated(matchId: "TWF0Y2g6MQ") { ${repeat(10_000, () => 'a:id')} } }`,
};

describe('query limits over WebSocket', () => {
  for (const [limit, query] of Object.entries(OVER_THE_LIMITS)) {
    it(`refuses an operation over the ${limit} limit with the same codes as HTTP`, async () => {
      const http = await httpCodes(query);
      const ws = await wsCodes(await open(), query);
      expect(http.length).toBeGreaterThan(0);
      expect(ws.codes).toEqual(http);
      expect(ws.codes).toContain('LIMIT_EXCEEDED');
    });
  }

  // graphql-armor skips `__typename` aliases unless told otherwise: whatever HTTP does, WebSocket does.
  it('answers 30 __typename aliases as HTTP does', async () => {
    const query = `{ ${repeat(30, (i) => `t${i}: __typename`)} }`;
    expect((await wsCodes(await open(), query)).codes).toEqual(await httpCodes(query));
  });

  it('runs an operation within the limits', async () => {
    const socket = await open();
    expect((await wsCodes(socket, '{ competitions { code } }')).codes).toEqual([]);
    expect(socket.of('next')).toHaveLength(1);
  });

  // Just under the former cap (1 MiB): it used to be parsed and validated, stalling every client.
  it('closes a socket that sends a 1 MiB message with 1009 at once, while another connection is served', async () => {
    const [big, normal] = await Promise.all([open(), open()]);
    const huge = JSON.stringify({
      id: 'huge',
      type: 'subscribe',
      payload: { query: `{ ${repeat(100_000, (i) => `a${i}: __typename`)} }`.slice(0, 1024 * 1024 - 1024) },
    });
    expect(huge.length).toBeGreaterThan(1024 * 1024 - 1024);
    expect(huge.length).toBeLessThan(1024 * 1024);
    big.send(huge);
    const answered = await Promise.all([
      wsCodes(normal, '{ competitions { code } }'),
      httpCodes('{ competitions { code } }'),
    ]);

    expect((await big.closed).code).toBe(1009);
    expect(answered[0].codes).toEqual([]);
    expect(answered[0].ms).toBeLessThan(1000); // seconds before the message size limit
    expect(answered[1]).toEqual([]);
  });

  it('refuses a document of 20,000 tokens under the size limit quickly, without stalling another connection', async () => {
    const [heavy, normal] = await Promise.all([open(), open()]);
    const query = `{ ${repeat(6_600, () => 'a:id')} }`; // about 20,000 tokens in 33 KB
    const [refused, served] = await Promise.all([wsCodes(heavy, query), wsCodes(normal, '{ competitions { code } }')]);
    expect(refused.codes).toEqual(['LIMIT_EXCEEDED']);
    expect(refused.ms).toBeLessThan(1000);
    expect(served.codes).toEqual([]);
    expect(served.ms).toBeLessThan(1000);
  });
});

// Introspection passes the same limits, but for the standard documents of GraphiQL and codegen.
const ALL_INTROSPECTION_OPTIONS = {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
};
const WITHIN_THE_LIMITS: Record<string, string> = {
  'a handmade introspection 8 levels deep':
    '{ __schema { types { name kind fields { name type { name kind ofType { name kind ofType { name kind } } } } } } }',
  'getIntrospectionQuery() (depth 21)': getIntrospectionQuery(),
  'getIntrospectionQuery() with every option': getIntrospectionQuery(ALL_INTROSPECTION_OPTIONS),
  'getIntrospectionQuery() under another operation name': getIntrospectionQuery().replace(
    'query IntrospectionQuery',
    'query SchemaForCodegen',
  ),
};

describe('introspection within the limits', () => {
  for (const [name, query] of Object.entries(WITHIN_THE_LIMITS)) {
    it(`answers ${name} over HTTP and WebSocket`, async () => {
      expect(await httpCodes(query)).toEqual([]);
      const socket = await open();
      expect((await wsCodes(socket, query)).codes).toEqual([]);
      const [next] = socket.of('next');
      expect(
        (next?.payload as { data?: { __schema?: { types: unknown[] } } }).data?.__schema?.types.length,
      ).toBeGreaterThan(10);
    });
  }
});
