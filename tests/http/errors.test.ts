import { describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { CompetitionsDocument } from '../generated/graphql';
import { createMember } from '../support/factories';
import { breakStatements } from '../support/broken-statements';
import { startTestApp } from '../support/test-app';

describe('unexpected failures', () => {
  it('answer a masked INTERNAL_SERVER_ERROR in production, logged with the request id', async () => {
    const logLines: Record<string, unknown>[] = [];
    const t = await startTestApp({ env: 'production' }, { logLines });
    const apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
    // Break the query layer underneath the API: the server must answer, not crash or leak.
    const mend = breakStatements(/from "?match"?\b/, 'relation "match_secret_internal" does not exist');

    const response = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-request-id': 'req-errors-test-1' },
      body: JSON.stringify({ query: 'query { matches(first: 1) { totalCount } }' }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(
      logLines.some((l) => l.requestId === 'req-errors-test-1' && JSON.stringify(l).includes('match_secret_internal')),
    ).toBe(true);

    mend();
    const after = await t.client(apiKey).data(CompetitionsDocument);
    expect(Array.isArray(after.competitions)).toBe(true);
  });
});
