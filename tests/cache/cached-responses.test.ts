import { print } from 'graphql';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Role } from '../../src/tenants/role';
import { MatchDetailDocument } from '../generated/graphql';
import { memberOnPlan } from '../quotas/plans';
import { createLeague, createMatches, createMember } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

// Cached answers are served before Apollo's pipeline (src/http/cached-responses.ts): what a
// client sees must not change, and the plan's quotas must still hold.
let t: TestApp;
let matchId: string;

beforeAll(async () => {
  t = await startTestApp({ responseCache: true });
  const league = await createLeague(t.app.orm, 2);
  [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
});

function post(apiKey: string, accept?: string) {
  return fetch(t.app.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': apiKey,
      ...(accept ? { accept } : {}),
    },
    body: JSON.stringify({ query: print(MatchDetailDocument), variables: { id: matchId } }),
  });
}

describe('cached answers', () => {
  it('are byte for byte what Apollo answered, with the same status, type and a request id of their own', async () => {
    const { apiKey } = await createMember(t.app.orm, Role.VIEWER);
    const first = await post(apiKey);
    const firstBody = await first.text();
    t.resetQueries();
    // The kept body is what answers (Apollo's pipeline would stringify the kept result again).
    const served = vi.spyOn(t.app.deps.responseCache!, 'bodyOf');
    const second = await post(apiKey);
    expect(await second.text()).toBe(firstBody);
    expect(served.mock.results.map((r) => r.value)).toEqual([firstBody]);
    served.mockRestore();
    expect(t.queries).toEqual([]);
    expect(second.status).toBe(first.status);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('x-request-id')).toMatch(/\S/);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(JSON.parse(firstBody)).toMatchObject({ data: { match: { id: matchId } } });
  });

  it('still answer a client that prefers application/graphql-response+json in that type', async () => {
    const { apiKey } = await createMember(t.app.orm, Role.VIEWER);
    await post(apiKey);
    const answer = await post(apiKey, 'application/graphql-response+json');
    expect(answer.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await answer.json()).toMatchObject({ data: { match: { id: matchId } } });
  });

  it("count against the plan's requests per minute: the one past the limit is refused with 429", async () => {
    const member = await memberOnPlan(t.app.orm, Role.VIEWER, { requestsPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(member.apiKey)).status);
    const refused = await post(member.apiKey);
    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['RATE_LIMITED']);
  });
});
