import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { selectRows } from '../../src/db/select';
import { inTenantScope, TENANT_ROLE } from '../../src/db/tenant-scope';
import { Role } from '../../src/tenants/role';
import { MEMBER_COLUMNS } from '../../src/tenants/tenant.views';
import { CreateAlertRuleDocument, CreateCustomModelDocument, WatchDocument } from '../generated/graphql';
import { addPrediction, createLeague, createMatches, createMember, unique, type Member } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let a: Member;
let b: Member;

// Every tenant-private table with the column naming its tenant (api_key: through its member).
const TENANT_OF: Record<string, string> = {
  tenant: 'x.id',
  membership: 'x.tenant_id',
  api_key: '(select m.tenant_id from membership m where m.id = x.membership_id)',
  audit_log: 'x.tenant_id',
  watchlist_item: 'x.tenant_id',
  alert_rule: 'x.tenant_id',
  custom_model: 'x.tenant_id',
  prediction: 'x.tenant_id',
};

/** A tenant with a second member, a watchlist item, an alert rule and a custom model (with predictions). */
async function tenantWithData(matchId: string, teamId: string): Promise<Member> {
  const owner = await createMember(t.app.orm, Role.OWNER);
  await createMember(t.app.orm, Role.VIEWER, { tenantId: owner.tenantId });
  const client = t.client(owner.apiKey);
  await client.data(WatchDocument, { input: { teamId } });
  await client.data(CreateAlertRuleDocument, { input: { kind: 'HOME_WIN_ABOVE', threshold: 0.9, scope: { matchId } } });
  await client.data(CreateCustomModelDocument, { input: { name: `m-${unique()}`, baseModels: ['elo'], weights: [1] } });
  return owner;
}

beforeAll(async () => {
  t = await startTestApp({ migrateOnStart: false });
  const league = await createLeague(t.app.orm, 2);
  const [matchId] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date(Date.now() + 86_400_000) },
  ]);
  // A platform prediction, which the custom models blend (so each makes one of its own).
  await addPrediction(
    t.app.orm,
    fromGlobalId(matchId!).id,
    { homeWin: 0.5, draw: 0.3, awayWin: 0.2 },
    new Date(),
    'elo',
  );
  a = await tenantWithData(matchId!, league.teams[0]!.gid);
  b = await tenantWithData(matchId!, league.teams[1]!.gid);
});

const em = () => t.app.orm.em.fork() as EntityManager;

/** The tenants whose rows a statement without any tenant condition sees, per table. */
function tenantsSeen(scoped: EntityManager): Promise<Record<string, (number | null)[]>> {
  return Object.entries(TENANT_OF).reduce(
    async (acc, [table, tenant]) => {
      const rows = await selectRows<{ tenant: number | null }>(
        scoped,
        `select distinct ${tenant} as tenant from "${table}" x where ${tenant} is null or ${tenant} in (?, ?) order by 1`,
        [a.tenantId, b.tenantId],
      );
      return { ...(await acc), [table]: rows.map((r) => r.tenant) };
    },
    Promise.resolve({} as Record<string, (number | null)[]>),
  );
}

describe('row-level security', () => {
  it("shows a statement without a tenant condition only its own tenant's rows in the tenant scope", async () => {
    // As the login role (operators' tools, signing in) both tenants' rows exist.
    const all = await tenantsSeen(em());
    for (const table of Object.keys(TENANT_OF))
      expect(all[table], table).toEqual(expect.arrayContaining([a.tenantId, b.tenantId]));

    const seen = await inTenantScope(em(), a.tenantId, tenantsSeen);
    for (const [table, tenants] of Object.entries(seen)) {
      // The platform's own predictions (no tenant) are everyone's.
      expect(tenants, table).toEqual(table === 'prediction' ? [a.tenantId, null] : [a.tenantId]);
    }
  });

  it("refuses a tenant's members to a member query whose tenant condition was dropped", async () => {
    // tenant.service.ts's member list, its `m.tenant_id = ?` removed on purpose.
    const members = await inTenantScope(em(), b.tenantId, (scoped) =>
      selectRows<{ tenant_id: number }>(
        scoped,
        `select ${MEMBER_COLUMNS} from membership m join app_user u on u.id = m.user_id`,
      ),
    );
    expect(members.length).toBeGreaterThanOrEqual(2);
    expect(new Set(members.map((m) => m.tenant_id))).toEqual(new Set([b.tenantId]));
  });

  it("refuses to write another tenant's rows from the tenant scope and changes nothing", async () => {
    const before = await selectRows<{ n: number }>(
      em(),
      'select count(*)::int as n from watchlist_item where tenant_id = ?',
      [b.tenantId],
    );
    const competition = await selectRows<{ id: number }>(em(), 'select id from competition limit 1');
    const insert = inTenantScope(em(), a.tenantId, (scoped) =>
      selectRows(scoped, 'insert into watchlist_item (tenant_id, competition_id, created_at) values (?, ?, now())', [
        b.tenantId,
        competition[0]!.id,
      ]),
    );
    await expect(insert).rejects.toMatchObject({ code: '42501' });
    const update = await inTenantScope(em(), a.tenantId, (scoped) =>
      scoped
        .getConnection()
        .execute(
          'update alert_rule set enabled = false where tenant_id = ?',
          [b.tenantId],
          'run',
          scoped.getTransactionContext(),
        ),
    );
    expect(update).toMatchObject({ affectedRows: 0 });
    const after = await selectRows<{ n: number }>(
      em(),
      'select count(*)::int as n from watchlist_item where tenant_id = ?',
      [b.tenantId],
    );
    expect(after).toEqual(before);
    const enabled = await selectRows<{ n: number }>(
      em(),
      'select count(*)::int as n from alert_rule where tenant_id = ? and enabled',
      [b.tenantId],
    );
    expect(enabled[0]!.n).toBe(1);
  });

  it('runs the tenant scope as a role that cannot bypass row-level security, and leaves no setting on the connection', async () => {
    const [role] = await inTenantScope(em(), a.tenantId, (scoped) =>
      selectRows<{ name: string; superuser: boolean; bypass: boolean; owned: number }>(
        scoped,
        `select current_user as name, r.rolsuper as superuser, r.rolbypassrls as bypass,
                (select count(*)::int from pg_tables where tableowner = current_user) as owned
           from pg_roles r where r.rolname = current_user`,
      ),
    );
    expect(role).toEqual({ name: TENANT_ROLE, superuser: false, bypass: false, owned: 0 });
    // Each policy table has row-level security on.
    const off = await selectRows<{ relname: string }>(
      em(),
      `select relname from pg_class where relname in (?) and not relrowsecurity`,
      [Object.keys(TENANT_OF)],
    );
    expect(off).toEqual([]);
    // Outside the scope the pooled connections are the login role again, with no tenant set.
    for (let i = 0; i < 12; i++) {
      const [after] = await selectRows<{ name: string; tenant: string | null }>(
        em(),
        "select current_user as name, nullif(current_setting('matchcast.tenant_id', true), '') as tenant",
      );
      expect(after!.name).not.toBe(TENANT_ROLE);
      expect(after!.tenant).toBeNull();
    }
  });
});
