import { beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { createMember } from '../support/factories';
import { breakStatements } from '../support/broken-statements';
import { startTestApp, type TestApp } from '../support/test-app';

type Answer = { status: number; header: string | null; body: { errors?: { extensions?: Record<string, unknown> }[] } };

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    header: response.headers.get('x-request-id'),
    body: (await response.json()) as Answer['body'],
  };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('request ids on errors', () => {
  let t: TestApp;
  let apiKey: string;
  beforeAll(async () => {
    t = await startTestApp({ env: 'production' });
    apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
  });

  it('every error of every kind of failing answer names the id the response header gives', async () => {
    const key = { 'x-api-key': apiKey };
    const answers: Record<string, Answer> = {
      'body not JSON': await post(t.app.url, '{"query": '),
      'no query': await post(t.app.url, '{}', key),
      'syntax error': await post(t.app.url, JSON.stringify({ query: '{ matches(' }), key),
      'unknown field': await post(t.app.url, JSON.stringify({ query: '{ nope }' }), key),
      'unknown key': await post(t.app.url, JSON.stringify({ query: '{ competitions { code } }' }), {
        'x-api-key': 'mc_ThisKeyDoesNotExist_0123456789',
      }),
      'bad argument': await post(t.app.url, JSON.stringify({ query: '{ match(id: "nope") { id } }' }), key),
    };
    const mend = breakStatements(/from "?match"?\b/, 'relation "match" is broken');
    try {
      answers['unexpected failure'] = await post(
        t.app.url,
        JSON.stringify({ query: '{ matches(first: 1) { totalCount } }' }),
        key,
      );
    } finally {
      mend();
    }
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.header, name).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.body.errors?.length, name).toBeGreaterThan(0);
      for (const error of answer.body.errors!) expect(error.extensions?.requestId, name).toBe(answer.header);
    }
  });

  it('keeps a sane id the client sent, and answers without errors carry none', async () => {
    const answer = await post(t.app.url, JSON.stringify({ query: '{ competitions { code } }' }), {
      'x-api-key': apiKey,
      'x-request-id': 'client-chosen.id_1',
    });
    expect(answer.header).toBe('client-chosen.id_1');
    expect(answer.body.errors).toBeUndefined();
    expect(JSON.stringify(answer.body)).not.toContain('requestId');
  });
});
