import { beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { createMember } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let apiKey: string;

beforeAll(async () => {
  t = await startTestApp();
  apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { message: string }[] } };
}

describe('request limits', () => {
  it('rejects a query nested deeper than allowed before running it', async () => {
    const nested =
      'node { id ... on Prediction { match { latestPrediction { match { latestPrediction { match { season { competition { seasons { competition { seasons { label } } } } } } } } } } } }';
    const { body } = await post({ query: `{ ${nested.replace('node {', 'node(id: "x") {')} }` });
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('rejects too many aliases and batched requests', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: competitions { code }`).join(' ');
    expect((await post({ query: `{ ${aliases} }` })).body.errors?.[0]?.message).toMatch(/alias/i);
    const batch = await post([{ query: '{ competitions { code } }' }, { query: '{ competitions { code } }' }]);
    expect(batch.status).toBe(400);
  });

  it('refuses a mutation sent as a GET (no CSRF through links)', async () => {
    const url = `${t.app.url}?query=${encodeURIComponent('mutation { updateMatch(id: "x", input: {}) { id } }')}`;
    const response = await fetch(url, { headers: { 'x-api-key': apiKey } });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it('answers a subscription sent over HTTP with BAD_REQUEST', async () => {
    const { status, body } = await post({ query: 'subscription { matchUpdated(matchId: "TWF0Y2g6MQ") { id } }' });
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
  });

  it('answers schema introspection to members only', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await post({ query })).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const anonymous = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await anonymous.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers malformed JSON with a 400, not a crash', async () => {
    const response = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(body)).not.toMatch(/node_modules|at \w+ \(/);
    const health = await fetch(t.app.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
  });
});
