import type { EntityManager } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCredential } from '../../src/auth/principal';
import { utcDay } from '../../src/quotas/usage-recorder';
import { PlanService } from '../../src/tenants/plan.service';
import { Role } from '../../src/tenants/role';
import { RawSocket } from '../live/raw-socket';
import { createLeague, createMatches, createMember, type Member } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { costOf, memberOnPlan, post } from './plans';

const USAGE = `query Usage($from: Date, $to: Date) {
  viewer { tenant { usage(from: $from, to: $to) { day operationType operations cost rateLimited } } }
}`;
const WATCH = 'subscription Watch($matchId: ID!) { matchUpdated(matchId: $matchId) { id } }';

interface UsageDay {
  day: string;
  operationType: string;
  operations: number;
  cost: number;
  rateLimited: number;
}

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

async function usageOf(member: Member, from?: string, to?: string): Promise<UsageDay[]> {
  const response = await post(t.app.url, member.apiKey, USAGE, { from, to });
  expect(response.body.errors).toBeUndefined();
  return (response.body.data as { viewer: { tenant: { usage: UsageDay[] } } }).viewer.tenant.usage;
}

describe('usage', () => {
  it('answers the tenant its operations by day and type, with their cost and refusals', async () => {
    const member = await createMember(t.app.orm, Role.VIEWER);
    const today = utcDay(Date.now());
    const yesterday = utcDay(Date.now() - 86_400_000);
    const long_ago = utcDay(Date.now() - 40 * 86_400_000);
    await t.app.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into tenant_usage (tenant_id, day, operation_type, operations, cost, rate_limited)
         values (?, ?::date, 'QUERY', 7, 70, 1), (?, ?::date, 'MUTATION', 2, 9, 0), (?, ?::date, 'QUERY', 5, 5, 0)`,
        [member.tenantId, yesterday, member.tenantId, yesterday, member.tenantId, long_ago],
      );
    for (let i = 0; i < 3; i++) expect((await post(t.app.url, member.apiKey, '{ __typename }')).status).toBe(200);
    // A mutation its role may not make is still an operation of the tenant.
    const refused = await post(
      t.app.url,
      member.apiKey,
      'mutation { setTenantPlan(tenantId: "VGVuYW50OjE=", plan: "free") { previousPlan } }',
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const league = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const socket = await RawSocket.open(t.app.url, member.apiKey);
    socket.subscribe('w', WATCH, { matchId });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.of('error')).toEqual([]);
    socket.close();

    const usage = await usageOf(member, yesterday, today);
    const mutationCost = await costOf(
      'mutation { setTenantPlan(tenantId: "VGVuYW50OjE=", plan: "free") { previousPlan } }',
    );
    expect(usage).toEqual([
      { day: yesterday, operationType: 'MUTATION', operations: 2, cost: 9, rateLimited: 0 },
      { day: yesterday, operationType: 'QUERY', operations: 7, cost: 70, rateLimited: 1 },
      { day: today, operationType: 'MUTATION', operations: 1, cost: mutationCost, rateLimited: 0 },
      // The three queries, and this one (counted when it was admitted).
      { day: today, operationType: 'QUERY', operations: 4, cost: 3 + (await costOf(USAGE)), rateLimited: 0 },
      { day: today, operationType: 'SUBSCRIPTION', operations: 1, cost: await costOf(WATCH), rateLimited: 0 },
    ]);
    // The default span is the last 30 days: 40 days ago is out, and other tenants never show.
    const lastMonth = await usageOf(member);
    expect(lastMonth.map((d) => d.day)).not.toContain(long_ago);
    expect(lastMonth.filter((d) => d.day === yesterday)).toHaveLength(2);
    expect(await usageOf(member, long_ago, long_ago)).toEqual([
      { day: long_ago, operationType: 'QUERY', operations: 5, cost: 5, rateLimited: 0 },
    ]);
  });

  it('counts requests refused with RATE_LIMITED apart from those served', async () => {
    const member = await memberOnPlan(t.app.orm, Role.VIEWER, { requestsPerMinute: 2 });
    for (let i = 0; i < 4; i++) await post(t.app.url, member.apiKey, '{ __typename }');
    await t.app.deps.quotas.usage.flush();
    const [row] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(`select operations, rate_limited from tenant_usage where tenant_id = ? and operation_type = 'QUERY'`, [
        member.tenantId,
      ]);
    expect(row).toEqual({ operations: '2', rate_limited: '2' });
  });

  it('refuses reversed or over-long spans with BAD_USER_INPUT', async () => {
    const member = await createMember(t.app.orm, Role.VIEWER);
    const reversed = await post(t.app.url, member.apiKey, USAGE, { from: '2030-01-02', to: '2030-01-01' });
    expect(reversed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await post(t.app.url, member.apiKey, USAGE, { from: '2028-01-01', to: '2030-01-01' });
    expect(long.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("answers NOT_FOUND for another tenant's usage even past the permission rules", async () => {
    const mine = await createMember(t.app.orm, Role.OWNER);
    const theirs = await createMember(t.app.orm, Role.OWNER);
    const principal = {
      tenantId: mine.tenantId,
      tenantSlug: 'x',
      userId: mine.userId,
      role: Role.OWNER,
      scopes: [],
      apiKeyId: mine.apiKeyId,
      credential: apiKeyCredential(mine.apiKeyId),
      expiresAt: null,
    };
    const service = new PlanService({ em: t.app.orm.em.fork() as EntityManager, principal, quotas: t.app.deps.quotas });
    await expect(service.usage(theirs.tenantId, new Date(), new Date())).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(service.plan(theirs.tenantId)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});

describe('the cost on the request path', () => {
  it("reads a tenant's plan in the statement that reads its API key: a first request runs that one", async () => {
    const member = await createMember(t.app.orm, Role.VIEWER);
    t.resetQueries();
    expect((await post(t.app.url, member.apiKey, '{ __typename }')).status).toBe(200);
    const statements = t.queries.filter((sql) => !/^update api_key set last_used_at/.test(sql));
    expect(statements).toEqual([expect.stringMatching(/from api_key k[\s\S]*join plan p/)]);
  });

  it('adds no SQL statement per request: plan from memory, usage written in the background', async () => {
    const member = await createMember(t.app.orm, Role.VIEWER);
    expect((await post(t.app.url, member.apiKey, '{ __typename }')).status).toBe(200);
    t.resetQueries();
    for (let i = 0; i < 50; i++) expect((await post(t.app.url, member.apiKey, '{ __typename }')).status).toBe(200);
    // The key's principal may be read again (AUTH_CACHE_TTL_SECONDS; its plan comes with it), and
    // its "last used" time is written once after the first read: nothing else, and no plan or usage.
    expect(t.queries.filter((sql) => !/\bapi_key\b/.test(sql))).toEqual([]);

    await t.app.deps.quotas.usage.flush();
    const [row] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(`select operations from tenant_usage where tenant_id = ? and operation_type = 'QUERY'`, [
        member.tenantId,
      ]);
    expect(row).toEqual({ operations: '51' });
  });
});
