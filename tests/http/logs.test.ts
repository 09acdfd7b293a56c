import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { CompetitionsDocument, ViewerDocument } from '../generated/graphql';
import { createMember } from '../support/factories';
import { breakStatements } from '../support/broken-statements';
import { startTestApp } from '../support/test-app';

type Line = Record<string, unknown>;

async function post(url: string, headers: Record<string, string>, query: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { extensions: Record<string, unknown> }[] };
  return { requestId: response.headers.get('x-request-id'), body };
}

const operationLines = (lines: Line[]) => lines.filter((line) => line.msg === 'graphql operation');

describe('logs', () => {
  it('write one JSON line per HTTP operation, with the request id the client got back', async () => {
    const logLines: Line[] = [];
    const t = await startTestApp({}, { logLines, logLevel: 'info' });
    const viewer = await createMember(t.app.orm, Role.VIEWER);
    const slug = (await t.client(viewer.apiKey).data(ViewerDocument)).viewer.tenant.slug;
    const headers = { 'x-api-key': viewer.apiKey };

    const ok = await post(t.app.url, { ...headers, 'x-request-id': 'req-logs-ok' }, print(CompetitionsDocument));
    expect(ok.requestId).toBe('req-logs-ok');
    const forbidden = await post(
      t.app.url,
      headers,
      'mutation CreateKey { createApiKey(input: { name: "x" }) { secret } }',
    );
    const errorCode = forbidden.body.errors![0]!.extensions.code;
    expect(forbidden.body.errors![0]!.extensions.requestId).toBe(forbidden.requestId);

    expect(operationLines(logLines).filter((line) => line.requestId === 'req-logs-ok')).toEqual([
      expect.objectContaining({
        level: 30,
        transport: 'http',
        operationName: 'Competitions',
        operationType: 'query',
        durationMs: expect.any(Number),
        outcome: 'ok',
        tenant: slug,
      }),
    ]);
    expect(operationLines(logLines).filter((line) => line.requestId === forbidden.requestId)).toEqual([
      expect.objectContaining({
        operationName: 'CreateKey',
        operationType: 'mutation',
        outcome: 'error',
        errorCodes: [errorCode],
        tenant: slug,
      }),
    ]);
  });

  it('write one line per WebSocket operation, with its request id on its errors', async () => {
    const logLines: Line[] = [];
    const t = await startTestApp({}, { logLines, logLevel: 'info' });
    const viewer = await createMember(t.app.orm, Role.VIEWER);
    const ws = t.client(viewer.apiKey).websocket();
    const run = (query: string) =>
      new Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>((resolve, reject) => {
        let result = {};
        ws.subscribe({ query }, { next: (value) => (result = value), error: reject, complete: () => resolve(result) });
      });
    expect((await run(print(CompetitionsDocument))).errors).toBeUndefined();
    const failed = await run('query Broken { match(id: "nope") { id } }');
    await ws.dispose();

    const lines = operationLines(logLines).filter((line) => line.transport === 'ws');
    expect(lines).toEqual([
      expect.objectContaining({ operationName: 'Competitions', operationType: 'query', outcome: 'ok' }),
      expect.objectContaining({ operationName: 'Broken', operationType: 'query', outcome: 'error' }),
    ]);
    expect(failed.errors?.[0]?.extensions?.requestId).toBe(lines[1]!.requestId);
  });

  it('never contain an API key or a token sent with a failing request', async () => {
    const logLines: Line[] = [];
    const t = await startTestApp({ env: 'production' }, { logLines, logLevel: 'debug' });
    const member = await createMember(t.app.orm, Role.VIEWER);
    const unknownKey = 'mc_ThisKeyDoesNotExist_0123456789';
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw';
    // An unexpected failure underneath, so that the request is logged as an error with its details.
    const mend = breakStatements(/from "?match"?\b/, 'relation "match" is broken');

    const broken = await post(t.app.url, { 'x-api-key': member.apiKey }, '{ matches(first: 1) { totalCount } }');
    expect(broken.body.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const unknown = await post(t.app.url, { 'x-api-key': unknownKey }, '{ competitions { code } }');
    expect(unknown.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const bearer = await post(t.app.url, { authorization: `Bearer ${jwt}` }, '{ competitions { code } }');
    expect(bearer.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    mend();

    // The failing requests were logged, and logged with their ids...
    const ids = new Set(logLines.map((line) => line.requestId));
    expect([broken.requestId, unknown.requestId, bearer.requestId].every((id) => ids.has(id))).toBe(true);
    expect(
      logLines.some((line) => line.msg === 'unexpected GraphQL error' && line.requestId === broken.requestId),
    ).toBe(true);
    // ...and no line holds a secret.
    const written = JSON.stringify(logLines);
    for (const secret of [member.apiKey, unknownKey, jwt]) expect(written).not.toContain(secret);
  });
});
