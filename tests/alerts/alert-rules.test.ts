import { beforeAll, describe, expect, it } from 'vitest';
import { AlertRule } from '../../src/alerts/alert-rule.entity';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { AuditLog } from '../../src/tenants/audit-log.entity';
import { Role } from '../../src/tenants/role';
import {
  AlertRulesDocument,
  CreateAlertRuleDocument,
  DeleteAlertRuleDocument,
  PrivateNodeDocument,
  UpdateAlertRuleDocument,
  type CreateAlertRuleInput,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, type League, type Member } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let league: League;
let matchId: string;
let analystA: Member;
let a: GraphqlClient;
let viewerA: GraphqlClient;
let adminA: GraphqlClient;
let b: GraphqlClient;

beforeAll(async () => {
  t = await startTestApp({ responseCache: true });
  league = await createLeague(t.app.orm, 2);
  [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
  analystA = await createMember(t.app.orm, Role.ANALYST);
  a = t.client(analystA.apiKey);
  viewerA = t.client((await createMember(t.app.orm, Role.VIEWER, { tenantId: analystA.tenantId })).apiKey);
  adminA = t.client((await createMember(t.app.orm, Role.ADMIN, { tenantId: analystA.tenantId })).apiKey);
  b = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
});

const homeWinRule = (overrides: Partial<CreateAlertRuleInput> = {}): { input: CreateAlertRuleInput } => ({
  input: { kind: 'HOME_WIN_ABOVE', threshold: 0.7, scope: { matchId }, ...overrides },
});

const storedRule = (gid: string) => t.app.orm.em.fork().findOne(AlertRule, fromGlobalId(gid).id);

describe('alert rules', () => {
  it('are created by an ANALYST with any scope, and listed to every member of the tenant', async () => {
    const created = [
      (await a.data(CreateAlertRuleDocument, homeWinRule({ name: 'home fav', modelName: 'in-play' }))).createAlertRule,
      (
        await a.data(CreateAlertRuleDocument, {
          input: { kind: 'DRAW_ABOVE', threshold: 0.4, scope: { teamId: league.teams[1]!.gid } },
        })
      ).createAlertRule,
      (
        await adminA.data(CreateAlertRuleDocument, {
          input: { kind: 'EDGE_OVER_BEST_PRICE', threshold: 0.05, scope: { watchlist: true } },
        })
      ).createAlertRule,
    ];
    expect(created[0]).toMatchObject({
      name: 'home fav',
      kind: 'HOME_WIN_ABOVE',
      threshold: 0.7,
      scope: 'MATCH',
      modelName: 'in-play',
      enabled: true,
      match: { id: matchId },
      team: null,
      competition: null,
    });
    expect(created[1]).toMatchObject({ scope: 'TEAM', team: { id: league.teams[1]!.gid }, modelName: null });
    expect(created[2]).toMatchObject({ scope: 'WATCHLIST', match: null, team: null, competition: null });

    const { alertRules } = await viewerA.data(AlertRulesDocument);
    expect(alertRules.map((rule) => rule.id)).toEqual(created.map((rule) => rule.id));
    expect((await storedRule(created[0].id))?.tenant.id).toBe(analystA.tenantId);
  });

  it('are enabled, disabled, re-thresholded and deleted, each change audited in the tenant', async () => {
    const { createAlertRule: rule } = await a.data(CreateAlertRuleDocument, homeWinRule());
    const disabled = await a.data(UpdateAlertRuleDocument, { id: rule.id, input: { enabled: false, threshold: 0.8 } });
    expect(disabled.updateAlertRule).toMatchObject({ id: rule.id, enabled: false, threshold: 0.8 });
    expect(Date.parse(disabled.updateAlertRule.updatedAt)).toBeGreaterThanOrEqual(Date.parse(rule.updatedAt));
    expect(await storedRule(rule.id)).toMatchObject({ enabled: false, threshold: 0.8 });
    const enabled = await a.data(UpdateAlertRuleDocument, { id: rule.id, input: { enabled: true, name: 'back' } });
    expect(enabled.updateAlertRule).toMatchObject({ enabled: true, threshold: 0.8, name: 'back' });

    expect(await a.data(DeleteAlertRuleDocument, { id: rule.id })).toEqual({ deleteAlertRule: rule.id });
    expect(await storedRule(rule.id)).toBeNull();
    expect(await a.errorCodes(DeleteAlertRuleDocument, { id: rule.id })).toEqual(['NOT_FOUND']);

    const audited = await t.app.orm.em
      .fork()
      .find(
        AuditLog,
        { entityType: 'AlertRule', entityId: String(fromGlobalId(rule.id).id) },
        { orderBy: { id: 'asc' } },
      );
    expect(audited.map((row) => [row.action, row.tenant?.id, row.user?.id])).toEqual([
      ['alertRule.create', analystA.tenantId, analystA.userId],
      ['alertRule.update', analystA.tenantId, analystA.userId],
      ['alertRule.update', analystA.tenantId, analystA.userId],
      ['alertRule.delete', analystA.tenantId, analystA.userId],
    ]);
  });

  it('refuses a VIEWER every write with FORBIDDEN, and changes nothing', async () => {
    const { createAlertRule: rule } = await a.data(CreateAlertRuleDocument, homeWinRule());
    expect(await viewerA.errorCodes(CreateAlertRuleDocument, homeWinRule())).toEqual(['FORBIDDEN']);
    expect(await viewerA.errorCodes(UpdateAlertRuleDocument, { id: rule.id, input: { enabled: false } })).toEqual([
      'FORBIDDEN',
    ]);
    expect(await viewerA.errorCodes(DeleteAlertRuleDocument, { id: rule.id })).toEqual(['FORBIDDEN']);
    expect(await storedRule(rule.id)).toMatchObject({ enabled: true });
  });

  it('refuse thresholds and scopes that do not fit, and targets that do not exist', async () => {
    const codes = (input: CreateAlertRuleInput) => a.errorCodes(CreateAlertRuleDocument, { input });
    expect(await codes(homeWinRule({ threshold: 1 }).input)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(homeWinRule({ threshold: 0 }).input)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(homeWinRule({ kind: 'EDGE_OVER_BEST_PRICE', threshold: -0.1 }).input)).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await codes(homeWinRule({ scope: {} }).input)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(homeWinRule({ scope: { watchlist: true, matchId } }).input)).toEqual(['BAD_USER_INPUT']);
    expect(await codes(homeWinRule({ scope: { matchId, teamId: league.teams[0]!.gid } }).input)).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await codes(homeWinRule({ scope: { matchId: toGlobalId('Match', 987_654_321) } }).input)).toEqual([
      'NOT_FOUND',
    ]);
    const { createAlertRule: rule } = await a.data(CreateAlertRuleDocument, homeWinRule());
    expect(await a.errorCodes(UpdateAlertRuleDocument, { id: rule.id, input: { threshold: 1.5 } })).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await a.errorCodes(UpdateAlertRuleDocument, { id: rule.id, input: {} })).toEqual(['BAD_USER_INPUT']);
  });

  /** Puts the tenant on the free plan; returns that plan's maxAlertRules. */
  async function onFreePlan(tenantId: number): Promise<number> {
    const connection = t.app.orm.em.fork().getConnection();
    await connection.execute(`update tenant set plan_id = (select id from plan where name = 'free') where id = ?`, [
      tenantId,
    ]);
    const [{ limit }] = (await connection.execute(
      `select p.max_alert_rules as limit from tenant t join plan p on p.id = t.plan_id where t.id = ?`,
      [tenantId],
    )) as [{ limit: number }];
    return limit;
  }

  it("stops a tenant at its plan's maxAlertRules with LIMIT_EXCEEDED, and lets it create one again after a delete", async () => {
    const member = await createMember(t.app.orm, Role.ANALYST);
    const limit = await onFreePlan(member.tenantId);
    expect(limit).toBeGreaterThan(0);
    const client = t.client(member.apiKey);
    const ids: string[] = [];
    for (let i = 0; i < limit; i++)
      ids.push((await client.data(CreateAlertRuleDocument, homeWinRule())).createAlertRule.id);
    const refused = await client.request(CreateAlertRuleDocument, homeWinRule());
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit });
    expect(await t.app.orm.em.fork().count(AlertRule, { tenant: member.tenantId })).toBe(limit);
    // Another tenant's rules do not count, and a delete frees a place.
    await b.data(CreateAlertRuleDocument, homeWinRule());
    await client.data(DeleteAlertRuleDocument, { id: ids[0]! });
    await client.data(CreateAlertRuleDocument, homeWinRule());
  });

  it('keeps the limit under concurrent creations', async () => {
    const member = await createMember(t.app.orm, Role.ANALYST);
    const limit = await onFreePlan(member.tenantId);
    const client = t.client(member.apiKey);
    const answers = await Promise.all(
      Array.from({ length: limit + 4 }, () => client.request(CreateAlertRuleDocument, homeWinRule())),
    );
    const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'created');
    expect(codes.filter((code) => code === 'created')).toHaveLength(limit);
    expect(codes.filter((code) => code === 'LIMIT_EXCEEDED')).toHaveLength(4);
    expect(await t.app.orm.em.fork().count(AlertRule, { tenant: member.tenantId })).toBe(limit);
  });

  it("lets a tenant on the default plan hold exactly that plan's number of rules", async () => {
    const member = await createMember(t.app.orm, Role.ANALYST);
    const connection = t.app.orm.em.fork().getConnection();
    const [{ limit }] = (await connection.execute(
      `select p.max_alert_rules as limit from tenant t join plan p on p.id = t.plan_id where t.id = ? and p.is_default`,
      [member.tenantId],
    )) as [{ limit: number }];
    await connection.execute(
      `insert into alert_rule (tenant_id, kind, threshold, scope, enabled, created_at, updated_at)
       select ?, 'DRAW_ABOVE', 0.5, 'WATCHLIST', true, now(), now() from generate_series(1, ?)`,
      [member.tenantId, limit - 1],
    );
    const client = t.client(member.apiKey);
    await client.data(CreateAlertRuleDocument, homeWinRule());
    expect(await client.errorCodes(CreateAlertRuleDocument, homeWinRule())).toEqual(['LIMIT_EXCEEDED']);
  });
});

describe('alert rule isolation', () => {
  it("answers NOT_FOUND for another tenant's rule on update and delete, and null from node(id)", async () => {
    const { createAlertRule: rule } = await b.data(CreateAlertRuleDocument, homeWinRule({ name: 'of b' }));
    for (const response of [
      await a.request(UpdateAlertRuleDocument, { id: rule.id, input: { enabled: false } }),
      await a.request(DeleteAlertRuleDocument, { id: rule.id }),
      // An ADMIN of tenant A is refused just the same.
      await adminA.request(DeleteAlertRuleDocument, { id: rule.id }),
    ]) {
      expect(response.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['NOT_FOUND', `AlertRule ${rule.id} was not found`],
      ]);
    }
    expect(await storedRule(rule.id)).toMatchObject({ enabled: true, name: 'of b' });
    expect((await a.data(AlertRulesDocument)).alertRules.map((r) => r.id)).not.toContain(rule.id);
    expect(await a.data(PrivateNodeDocument, { id: rule.id })).toEqual({ node: null });
    expect(await b.data(PrivateNodeDocument, { id: rule.id })).toEqual({
      node: { id: rule.id, __typename: 'AlertRule', kind: 'HOME_WIN_ABOVE', threshold: 0.7 },
    });
  });

  it('lists each tenant its own rules for the very same query text, with the response cache on', async () => {
    await a.data(CreateAlertRuleDocument, homeWinRule());
    await b.data(CreateAlertRuleDocument, homeWinRule());
    const ofA = (await a.data(AlertRulesDocument)).alertRules.map((rule) => rule.id);
    const ofB = (await b.data(AlertRulesDocument)).alertRules.map((rule) => rule.id);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofB.length).toBeGreaterThan(0);
    expect(ofA.filter((id) => ofB.includes(id))).toEqual([]);
    const tenants = await t.app.orm.em
      .fork()
      .find(AlertRule, { id: { $in: ofB.map((id) => fromGlobalId(id).id) } }, { fields: ['tenant'] });
    expect(new Set(tenants.map((rule) => rule.tenant.id)).size).toBe(1);
  });
});
