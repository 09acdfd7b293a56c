import { describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { TeamsDocument } from '../generated/graphql';
import { Subscription } from '../support/graphql-client';
import { createMember } from '../support/factories';
import { startTestApp } from '../support/test-app';

// PostgreSQL text cannot hold U+0000: such input is a client mistake, refused before any query.
describe('NUL characters in input', () => {
  it('are refused with BAD_USER_INPUT over HTTP, in variables and in literals', async () => {
    const t = await startTestApp();
    const client = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    expect(await client.errorCodes(TeamsDocument, { filter: { search: 'a\u0000b' } })).toEqual(['BAD_USER_INPUT']);
    const literal = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': client.apiKey! },
      body: JSON.stringify({ query: '{ teams(filter: { search: "a\\u0000b" }) { totalCount } }' }),
    });
    expect(literal.status).toBe(400);
    expect(await literal.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    const byDefault = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': client.apiKey! },
      body: JSON.stringify({
        query: 'query Q($s: String = "a\u0000b") { teams(filter: { search: $s }) { totalCount } }',
      }),
    });
    expect(byDefault.status).toBe(400);
    expect(await byDefault.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('are refused with BAD_USER_INPUT over WebSocket', async () => {
    const t = await startTestApp();
    const ws = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey).websocket();
    const operation = new Subscription(ws, TeamsDocument, { filter: { search: 'a\u0000b' } });
    try {
      await operation.waitFor(1);
      expect(operation.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    } finally {
      operation.close();
      await ws.dispose();
    }
  });
});
