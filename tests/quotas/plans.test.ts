import { describe, expect, inject, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { createOrm, migrate } from '../../src/db/orm';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { createMember, type Member } from '../support/factories';
import { createAdminClient, databaseUrlFor } from '../support/postgres-admin';
import { redisUrlForTests } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createPlan, memberOnPlan, post } from './plans';

const redisUrl = redisUrlForTests('plan changes across instances');
const PLAN_FIELDS =
  'name requestsPerMinute queryCostPerMinute maxSubscriptions maxSocketsPerKey maxCustomModels maxAlertRules';
const VIEWER_PLAN = `{ viewer { plan { ${PLAN_FIELDS} } tenant { plan { name } } } }`;
const SET_PLAN = `mutation SetPlan($tenantId: ID!, $plan: String!) {
  setTenantPlan(tenantId: $tenantId, plan: $plan) { tenantId previousPlan plan { name requestsPerMinute } }
}`;

async function planOf(
  t: TestApp,
  member: Member,
): Promise<{ viewer: { plan: Record<string, unknown>; tenant: { plan: { name: string } } } }> {
  const response = await post(t.app.url, member.apiKey, VIEWER_PLAN);
  expect(response.body.errors).toBeUndefined();
  return response.body.data as never;
}

async function auditRows(t: TestApp, tenantId: number): Promise<{ action: string; user_id: number; data: unknown }[]> {
  return t.app.orm.em
    .fork()
    .getConnection()
    .execute(
      `select action, user_id, data from audit_log where tenant_id = ? and entity_type = 'Tenant' and entity_id = ?`,
      [tenantId, String(tenantId)],
    );
}

describe('plans', () => {
  it('puts new tenants on the default plan, shown to every member on viewer and tenant', async () => {
    const t = await startTestApp();
    const member = await createMember(t.app.orm, Role.VIEWER);
    const { viewer } = await planOf(t, member);
    expect(viewer.plan).toEqual({
      name: 'standard',
      requestsPerMinute: 6000,
      queryCostPerMinute: 6_000_000,
      maxSubscriptions: 2000,
      maxSocketsPerKey: 50,
      maxCustomModels: 5,
      maxAlertRules: 50,
    });
    expect(viewer.tenant.plan.name).toBe('standard');
  });

  it('seeds free, standard, pro and enterprise, one of them the default', async () => {
    const t = await startTestApp();
    const rows: { name: string; is_default: boolean }[] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(
        `select name, is_default from plan where name in ('free', 'standard', 'pro', 'enterprise') order by requests_per_minute`,
      );
    expect(rows).toEqual([
      { name: 'free', is_default: false },
      { name: 'standard', is_default: true },
      { name: 'pro', is_default: false },
      { name: 'enterprise', is_default: false },
    ]);
  });
});

describe('setTenantPlan', () => {
  it.each([
    ['a VIEWER', Role.VIEWER, []],
    ['an ADMIN', Role.ADMIN, []],
    ['an OWNER', Role.OWNER, []],
    ['an OWNER with the INGEST scope', Role.OWNER, [Scope.INGEST]],
  ] as const)('is refused with FORBIDDEN to %s, changing nothing', async (_who, role, scopes) => {
    const t = await startTestApp();
    const caller = await createMember(t.app.orm, role, { scopes: [...scopes] });
    const response = await post(t.app.url, caller.apiKey, SET_PLAN, {
      tenantId: toGlobalId('Tenant', caller.tenantId),
      plan: 'enterprise',
    });
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await planOf(t, caller)).viewer.plan.name).toBe('standard');
    expect(await auditRows(t, caller.tenantId)).toEqual([]);
  });

  it("lets an operator move a tenant to another plan: its limits apply at once, audited in the tenant's log", async () => {
    const t = await startTestApp();
    const operator = await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] });
    const target = await createMember(t.app.orm, Role.OWNER);
    expect((await planOf(t, target)).viewer.plan.name).toBe('standard'); // now cached by the server
    const tiny = await createPlan(t.app.orm, { requestsPerMinute: 3 });

    const response = await post(t.app.url, operator.apiKey, SET_PLAN, {
      tenantId: toGlobalId('Tenant', target.tenantId),
      plan: tiny,
    });
    expect(response.body).toEqual({
      data: {
        setTenantPlan: {
          tenantId: toGlobalId('Tenant', target.tenantId),
          previousPlan: 'standard',
          plan: { name: tiny, requestsPerMinute: 3 },
        },
      },
    });
    expect((await planOf(t, target)).viewer.plan.name).toBe(tiny);
    expect(await auditRows(t, target.tenantId)).toEqual([
      { action: 'tenant.plan.set', user_id: operator.userId, data: { plan: tiny } },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(t.app.url, target.apiKey, '{ __typename }')).status);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers BAD_USER_INPUT for an unknown plan and NOT_FOUND for an unknown tenant, auditing nothing', async () => {
    const t = await startTestApp();
    const operator = await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] });
    const target = await createMember(t.app.orm, Role.OWNER);
    const unknownPlan = await post(t.app.url, operator.apiKey, SET_PLAN, {
      tenantId: toGlobalId('Tenant', target.tenantId),
      plan: 'platinum',
    });
    expect(unknownPlan.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const unknownTenant = await post(t.app.url, operator.apiKey, SET_PLAN, {
      tenantId: toGlobalId('Tenant', 987_654_321),
      plan: 'free',
    });
    expect(unknownTenant.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await auditRows(t, target.tenantId)).toEqual([]);
    expect((await planOf(t, target)).viewer.plan.name).toBe('standard');
  });

  it.skipIf(!redisUrl)('applies a plan change on every instance sharing Redis at once', async () => {
    const namespace = `test-plan-change-${Date.now()}`;
    const a = await startTestApp({ redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ redisUrl, redisNamespace: namespace });
    const operator = await createMember(a.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] });
    const target = await memberOnPlan(a.app.orm, Role.VIEWER, {});
    expect((await planOf(b, target)).viewer.plan.name).toBe(target.plan);
    await post(a.app.url, operator.apiKey, SET_PLAN, { tenantId: toGlobalId('Tenant', target.tenantId), plan: 'pro' });
    const deadline = Date.now() + 1000;
    let seen = '';
    while (Date.now() < deadline && seen !== 'pro') seen = String((await planOf(b, target)).viewer.plan.name);
    expect(seen).toBe('pro');
  });
});

describe('the plan migration', () => {
  it('goes down and up again on a database of its own', async () => {
    const serverUrl = inject('databaseUrl');
    const database = `matchcast_plan_migration_${Date.now()}`;
    const admin = await createAdminClient(serverUrl);
    await admin.query(`create database "${database}"`);
    const orm = await createOrm({ databaseUrl: databaseUrlFor(serverUrl, database) });
    try {
      await migrate(orm);
      const columns = async () =>
        (
          await orm.em
            .getConnection()
            .execute<{ column_name: string }[]>(
              `select column_name from information_schema.columns where table_name = 'tenant'`,
            )
        ).map((c) => c.column_name);
      expect(await columns()).toContain('plan_id');
      await orm.getMigrator().down({ migrations: ['Migration20261128090000'] });
      expect(await columns()).not.toContain('plan_id');
      const tables = await orm.em
        .getConnection()
        .execute(`select table_name from information_schema.tables where table_name in ('plan', 'tenant_usage')`);
      expect(tables).toEqual([]);
      await migrate(orm);
      expect(await columns()).toContain('plan_id');
    } finally {
      await orm.close();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
    }
  });
});
