import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_STRING_LENGTH } from '../../src/http/armor';
import { Role } from '../../src/tenants/role';
import { RawSocket } from '../live/raw-socket';
import { createMember } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { DOCUMENT_ATTACKS, expectRefused, latenciesBeside, NORMAL_QUERY, NORMAL_QUERY_BOUND_MS } from './hostile-cases';
import { ignoringRequestIds } from '../support/request-ids';

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

interface Answer {
  status: number;
  type: string | null;
  headers: Headers;
  body: { data?: unknown; errors?: ErrorLike[] };
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

let t: TestApp;
let apiKey: string;

beforeAll(async () => {
  t = await startTestApp();
  apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
});

async function send(
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; key?: string | null },
  app: TestApp = t,
): Promise<Answer> {
  const key = options.key === undefined ? apiKey : options.key;
  const response = await fetch(options.path ? app.app.url.replace('/graphql', options.path) : app.app.url, {
    method: options.method ?? 'POST',
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(key ? { 'x-api-key': key } : {}),
      ...options.headers,
    },
    body: options.body,
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    headers: response.headers,
    body: text ? (JSON.parse(text, ignoringRequestIds) as Answer['body']) : {},
  };
}

const post = (body: unknown, headers: Record<string, string> = {}, key?: string | null) =>
  send({ body: JSON.stringify(body), headers, key });

async function normalQuery(): Promise<void> {
  const answer = await post({ query: NORMAL_QUERY });
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
}

describe('a hostile client over HTTP', () => {
  for (const [name, attack] of Object.entries(DOCUMENT_ATTACKS)) {
    it(`refuses ${name} with 400 and ${attack.code}, whichever JSON type it accepts`, async () => {
      const json = await post({ query: attack.query, variables: attack.variables });
      expect(json.status).toBe(400);
      expect(json.type).toMatch(/^application\/json/);
      expectRefused(json.body.errors, attack);
      expect(json.body.data).toBeUndefined();

      const graphqlResponse = await post(
        { query: attack.query, variables: attack.variables },
        { accept: GRAPHQL_RESPONSE },
      );
      expect(graphqlResponse.status).toBe(400);
      expect(graphqlResponse.type).toMatch(/^application\/graphql-response\+json/);
      expect(graphqlResponse.body).toEqual(json.body);
    });
  }

  it('refuses a 1,000-operation batch with 400 BAD_REQUEST', async () => {
    const batch = Array.from({ length: 1000 }, () => ({ query: NORMAL_QUERY }));
    const answer = await post(batch);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
  });

  it('refuses a 3 MB body with 413 LIMIT_EXCEEDED', async () => {
    const body = JSON.stringify({ query: NORMAL_QUERY, variables: { padding: 'x'.repeat(3 * 1024 * 1024) } });
    for (const accept of ['application/json', GRAPHQL_RESPONSE]) {
      const answer = await send({ body, headers: { accept } });
      expect(answer.status).toBe(413);
      expect(answer.type).toContain(accept);
      expect(answer.body.errors).toEqual([
        { message: expect.stringMatching(/larger than/), extensions: { code: 'LIMIT_EXCEEDED', limit: 1024 * 1024 } },
      ]);
    }
  });

  it('answers malformed JSON bodies with 400 BAD_REQUEST, in the type the client accepts', async () => {
    for (const body of ['{"query": ', 'query { competitions { code } }', '"a string"', '{"query": 42}', '{}']) {
      for (const accept of ['application/json', GRAPHQL_RESPONSE]) {
        const answer = await send({ body, headers: { accept } });
        expect(answer.status, body).toBe(400);
        expect(answer.type).toContain(accept);
        expect(answer.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }]);
        expect(JSON.stringify(answer.body)).not.toMatch(/node_modules|\bat \w+ \(/);
      }
    }
  });

  it('refuses a body of lists nested 100,000 deep with a 400, not a crash', async () => {
    const body = `{"query":"{ __typename }","variables":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const answer = await send({ body });
    expect(answer.status).toBe(400);
    expect(['BAD_REQUEST', 'LIMIT_EXCEEDED']).toContain(answer.body.errors?.[0]?.extensions?.code);
  });

  it('refuses a 900,000-character team search at once, before the database sees it', async () => {
    const query = 'query Q($s: String) { teams(filter: { search: $s }) { totalCount } }';
    t.resetQueries();
    const started = performance.now();
    const answer = await post({ query, variables: { s: 'a'.repeat(900_000) } });
    expect(performance.now() - started).toBeLessThan(1000); // it took 2.4 s in the database
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: `$s is longer than ${MAX_STRING_LENGTH} characters`,
        extensions: { code: 'LIMIT_EXCEEDED', limit: MAX_STRING_LENGTH },
      },
    ]);
    expect(t.queries.filter((sql) => /from "?team"?/i.test(sql))).toEqual([]);
  });

  it('refuses a team search over 100 characters as an error of that field, with BAD_USER_INPUT', async () => {
    const query = 'query Q($s: String) { teams(filter: { search: $s }) { totalCount } }';
    const answer = await post({ query, variables: { s: 'a'.repeat(101) } });
    // A field error: the spec's partial response, 200 with data.
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/search.*100 characters/),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    const fine = await post({ query, variables: { s: 'a'.repeat(100) } });
    expect(fine.body).toEqual({ data: { teams: { totalCount: 0 } } });
  });

  it('answers introspection without a key with 401 UNAUTHENTICATED and WWW-Authenticate', async () => {
    const answer = await post({ query: '{ __schema { queryType { name } } }' }, {}, null);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
  });

  it('gives "Did you mean …?" suggestions to members only', async () => {
    const field = { query: '{ competitions { cod } }' };
    const enumValue = {
      query: 'query Q($s: MatchStatus) { matches(filter: { status: $s }) { totalCount } }',
      variables: { s: 'SCHEDULE' },
    };
    for (const body of [field, enumValue]) {
      const anonymous = await post(body, {}, null);
      expect(anonymous.status).toBe(400);
      expect(anonymous.body.errors?.[0]?.message).not.toMatch(/Did you mean|"code"|SCHEDULED/);
      const member = await post(body);
      expect(member.body.errors?.[0]?.message).toMatch(/Did you mean/);
    }
  });

  it('answers unknown paths with a JSON 404 NOT_FOUND', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/api'],
      ['GET', '/graphq'],
    ] as const) {
      const answer = await send({ method, path, body: method === 'POST' ? '{}' : undefined });
      expect(answer.status).toBe(404);
      expect(answer.type).toMatch(/^application\/json/);
      expect(answer.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }]);
    }
    const preferred = await send({ method: 'GET', path: '/nope', headers: { accept: GRAPHQL_RESPONSE } });
    expect(preferred.type).toMatch(/^application\/graphql-response\+json/);
  });

  it('answers field errors with 200 and data, as the spec asks, under either JSON type', async () => {
    for (const accept of ['application/json', GRAPHQL_RESPONSE]) {
      const answer = await post({ query: NORMAL_QUERY }, { accept }, null);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: null,
        errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
      });
    }
  });

  it('refuses what HTTP itself does not allow: 405 for a mutation over GET or a PUT, 406 for an unknown Accept', async () => {
    const mutation = encodeURIComponent('mutation { refreshPredictions(competition: "x") { matches } }');
    const get = await send({
      method: 'GET',
      path: `/graphql?query=${mutation}`,
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(get.status).toBe(405);
    expect(get.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const put = await send({ method: 'PUT', body: JSON.stringify({ query: NORMAL_QUERY }) });
    expect(put.status).toBe(405);
    const xml = await post({ query: NORMAL_QUERY }, { accept: 'application/xml' });
    expect(xml.status).toBe(406);
  });

  it('answers OPTIONS without configured origins with 204 and no CORS headers', async () => {
    const answer = await send({
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('allow')).toContain('POST');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('stays up, and keeps a normal query fast, while every attack runs at once', async () => {
    const huge = JSON.stringify({ query: NORMAL_QUERY, variables: { padding: 'x'.repeat(3 * 1024 * 1024) } });
    // An attacker of its own: its tenant's quotas are not the normal queries'.
    const key = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
    const search = {
      query: 'query Q($s: String) { teams(filter: { search: $s }) { id } }',
      variables: { s: 'a'.repeat(9e5) },
    };
    const attacks = () => [
      ...Object.values(DOCUMENT_ATTACKS).map((attack) =>
        post({ query: attack.query, variables: attack.variables }, {}, key),
      ),
      post(
        Array.from({ length: 1000 }, () => ({ query: NORMAL_QUERY })),
        {},
        key,
      ),
      send({ body: huge, key }),
      send({ body: '{"query": ', key }),
      post(search, {}, key),
    ];
    // Each attack costs milliseconds: a normal query waits for one round at most.
    const all = (async () => {
      for (let round = 0; round < 8; round++) {
        const answers = await Promise.all(attacks());
        expect(answers.every((answer) => answer.status >= 400 && answer.status < 500)).toBe(true);
      }
    })();
    const latencies = await latenciesBeside(all, normalQuery);
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_QUERY_BOUND_MS);
    expect((await fetch(t.app.url.replace('/graphql', '/healthz'))).status).toBe(200);
    await normalQuery();
  });
});

describe('CORS', () => {
  const origin = 'https://app.example.test';

  it('answers a preflight from a configured origin, and only from one', async () => {
    const c = await startTestApp({ corsOrigins: [origin] });
    const preflight = (from: string) =>
      send(
        {
          method: 'OPTIONS',
          headers: {
            origin: from,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,x-api-key',
          },
        },
        c,
      );
    const allowed = await preflight(origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    // The request itself, and its errors, can be read by the page.
    const key = (await createMember(c.app.orm, Role.VIEWER)).apiKey;
    for (const query of [NORMAL_QUERY, '{ competitions { code }']) {
      const answer = await send({ body: JSON.stringify({ query }), headers: { origin }, key }, c);
      expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
      expect(answer.headers.get('access-control-expose-headers')).toContain('x-request-id');
    }
  });
});

describe('database statement timeout', () => {
  it('cancels a statement past DB_STATEMENT_TIMEOUT_MS and answers TIMEOUT over HTTP and WebSocket, not a 500', async () => {
    const s = await startTestApp({ dbStatementTimeoutMs: 300 });
    const key = (await createMember(s.app.orm, Role.VIEWER)).apiKey;
    const [setting] = await s.app.orm.em
      .getConnection()
      .execute<{ statement_timeout: string }[]>('show statement_timeout');
    expect(setting!.statement_timeout).toBe('300ms');
    const socket = await RawSocket.open(s.app.url, key);
    const query = '{ teams(first: 1) { totalCount } }';
    await send({ body: JSON.stringify({ query }), key }, s); // the key is known before the table is locked

    // A statement that cannot finish: the table is locked by another transaction (as a migration would).
    const locker = new pg.Client({ connectionString: inject('databaseUrl') });
    await locker.connect();
    let http: Answer;
    let started = 0;
    try {
      await locker.query('begin');
      await locker.query('lock table team in access exclusive mode');
      started = performance.now();
      socket.subscribe('timeout', query);
      [http] = await Promise.all([
        send({ body: JSON.stringify({ query }), key }, s),
        socket.until(() => socket.of('complete', 'timeout').length + socket.of('error', 'timeout').length > 0, 5000),
      ]);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect(performance.now() - started).toBeLessThan(3000);
    const ws = (socket.of('next', 'timeout')[0]?.payload as { errors: ErrorLike[] }).errors;
    socket.close();

    const timeout = {
      message: expect.stringMatching(/took too long/),
      locations: expect.any(Array),
      path: ['teams'],
      extensions: { code: 'TIMEOUT' },
    };
    expect(http.status).toBe(200); // a field error: data is null
    expect(http.body).toEqual({ data: null, errors: [timeout] });
    expect(ws).toEqual([timeout]);
    // Nothing is left broken: the next request is served.
    expect((await send({ body: JSON.stringify({ query }), key }, s)).body.errors).toBeUndefined();
  });
});
