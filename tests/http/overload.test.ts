import { describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { createMember } from '../support/factories';
import { startTestApp } from '../support/test-app';

describe('load shedding', () => {
  it('refuses requests beyond the in-flight limit with 503, Retry-After and SERVICE_UNAVAILABLE, then serves again', async () => {
    const t = await startTestApp({ maxInFlightRequests: 1 });
    const apiKey = (await createMember(t.app.orm, Role.VIEWER)).apiKey;
    const ask = () =>
      fetch(t.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query: '{ competitions { code seasons { label } } }' }),
      });
    const answers = await Promise.all(Array.from({ length: 30 }, ask));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    const refused = answers.find((answer) => answer.status === 503)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }] });

    for (const answer of answers) if (!answer.bodyUsed) await answer.body?.cancel();
    const later = await ask();
    expect(later.status).toBe(200);
    expect(((await later.json()) as { data: unknown }).data).toBeTruthy();
  });
});
