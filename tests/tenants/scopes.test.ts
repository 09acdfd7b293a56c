import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CreateMatchDocument,
  CreateTenantDocument,
  MatchDetailDocument,
  RecordMatchEventDocument,
  RefreshPredictionsDocument,
  TenantAuditLogDocument,
  UpdateMatchDocument,
  ViewerDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let league: League;
let operator: GraphqlClient;

beforeAll(async () => {
  t = await startTestApp();
  league = await createLeague(t.app.orm, 4);
  operator = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] })).apiKey);
});

const auditRows = async (tenantId: number) =>
  Number(
    (
      await t.app.orm.em
        .getConnection()
        .execute<{ n: string }[]>('select count(*) as n from audit_log where tenant_id = ?', [tenantId])
    )[0]!.n,
  );

describe('platform data writes', () => {
  it('refuse a tenant OWNER or ADMIN without the OPERATOR scope with FORBIDDEN, and change nothing', async () => {
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const before = await operator.data(MatchDetailDocument, { id: matchId! });
    for (const role of [Role.OWNER, Role.ADMIN]) {
      const member = await createMember(t.app.orm, role);
      const client = t.client(member.apiKey);
      const attempts = await Promise.all([
        client.errorCodes(UpdateMatchDocument, { id: matchId!, input: { status: 'CANCELLED' } }),
        client.errorCodes(CreateMatchDocument, {
          input: {
            seasonId: league.seasonGid,
            homeTeamId: league.teams[2]!.gid,
            awayTeamId: league.teams[3]!.gid,
            kickoff: '2030-09-02T15:00:00Z',
          },
        }),
        client.errorCodes(RecordMatchEventDocument, {
          input: { matchId: matchId!, type: 'KICK_OFF', minute: 0, source: 'test', externalId: unique() },
        }),
        client.errorCodes(RefreshPredictionsDocument, { competition: league.code }),
      ]);
      expect(attempts, role).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']]);
      expect(await auditRows(member.tenantId)).toBe(0);
    }
    expect(await operator.data(MatchDetailDocument, { id: matchId! })).toEqual(before);
  });

  it('accept an OPERATOR key of any role; an INGEST key records events only', async () => {
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[1]!.id, away: league.teams[2]!.id, kickoff: new Date('2030-09-03T15:00:00Z') },
    ]);
    const ingest = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] })).apiKey);
    expect(await ingest.errorCodes(UpdateMatchDocument, { id: matchId!, input: { status: 'POSTPONED' } })).toEqual([
      'FORBIDDEN',
    ]);
    expect(await ingest.errorCodes(RefreshPredictionsDocument, { competition: league.code })).toEqual(['FORBIDDEN']);
    const { updateMatch } = await operator.data(UpdateMatchDocument, { id: matchId!, input: { status: 'POSTPONED' } });
    expect(updateMatch.status).toBe('POSTPONED');
  });
});

describe('createTenant', () => {
  const input = () => {
    const slug = `acme-${unique()}`;
    return { slug, name: 'Acme', ownerEmail: `Owner.${slug}@Example.test`, ownerName: 'Acme Owner' };
  };

  it('creates a tenant whose first OWNER holds the key shown once, audited in both tenants', async () => {
    const operatorMember = await createMember(t.app.orm, Role.OWNER, { scopes: [Scope.OPERATOR] });
    const client = t.client(operatorMember.apiKey);
    const wanted = input();
    const { createTenant } = await client.data(CreateTenantDocument, { input: wanted });
    expect(createTenant).toMatchObject({
      tenant: { slug: wanted.slug, name: 'Acme' },
      owner: { role: 'OWNER', user: { email: wanted.ownerEmail.toLowerCase(), name: 'Acme Owner' } },
    });
    const asOwner = t.client(createTenant.secret);
    const { viewer } = await asOwner.data(ViewerDocument);
    expect(viewer).toMatchObject({ role: 'OWNER', scopes: [], tenant: createTenant.tenant });

    const theirs = await asOwner.data(TenantAuditLogDocument, {});
    expect(theirs.viewer.tenant.auditLog.edges.map((e) => [e.node.action, e.node.targetId, e.node.actor])).toEqual([
      ['tenant.create', createTenant.tenant.id, null],
    ]);
    const ours = await client.data(TenantAuditLogDocument, { filter: { action: 'tenant.create' } });
    expect(ours.viewer.tenant.auditLog.edges.map((e) => e.node.targetId)).toEqual([createTenant.tenant.id]);
    const stored = await t.app.orm.em
      .getConnection()
      .execute<{ dump: string }[]>(
        `select string_agg(coalesce(data::text, ''), ' ') as dump from audit_log where tenant_id in (?, ?)`,
        [operatorMember.tenantId, fromGlobalId(createTenant.tenant.id).id],
      );
    expect(stored[0]!.dump).not.toContain(createTenant.secret.slice(11));
  });

  it('refuses a duplicate slug with CONFLICT, bad input naming the field, and non-operators', async () => {
    const wanted = input();
    await operator.data(CreateTenantDocument, { input: wanted });
    expect(
      await operator.errorCodes(CreateTenantDocument, { input: { ...wanted, ownerEmail: 'x@example.test' } }),
    ).toEqual(['CONFLICT']);
    for (const [field, value] of [
      ['slug', 'Not A Slug'],
      ['name', ''],
      ['ownerEmail', 'nobody'],
      ['ownerName', ' '],
    ] as const) {
      const response = await operator.request(CreateTenantDocument, { input: { ...input(), [field]: value } });
      expect(response.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const owner = t.client((await createMember(t.app.orm, Role.OWNER)).apiKey);
    expect(await owner.errorCodes(CreateTenantDocument, { input: input() })).toEqual(['FORBIDDEN']);
  });
});
