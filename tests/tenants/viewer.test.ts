import { parse, print } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { readsSharedDataOnly } from '../../src/auth/shared-data';
import { toGlobalId } from '../../src/common/global-id';
import { createBareSchema } from '../../src/schema';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { CompetitionsDocument, TenantMembersDocument, ViewerDocument } from '../generated/graphql';
import { createMember } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ responseCache: true });
});

describe('viewer', () => {
  it("answers the key's user, tenant, role and scopes", async () => {
    const member = await createMember(t.app.orm, Role.ANALYST, { scopes: [Scope.INGEST] });
    const { viewer } = await t.client(member.apiKey).data(ViewerDocument);
    expect(viewer).toMatchObject({
      role: 'ANALYST',
      scopes: ['INGEST'],
      user: { id: toGlobalId('User', member.membershipId), email: expect.stringMatching(/@example\.test$/) },
      member: { id: toGlobalId('Member', member.membershipId) },
      tenant: { id: toGlobalId('Tenant', member.tenantId), slug: expect.stringMatching(/^t-/) },
    });
  });

  it('refuses a caller without a key', async () => {
    expect(await t.anonymous.errorCodes(ViewerDocument)).toEqual(['UNAUTHENTICATED']);
  });

  it('is never answered from the response cache shared across tenants', async () => {
    const one = await createMember(t.app.orm, Role.VIEWER);
    const other = await createMember(t.app.orm, Role.VIEWER);
    await t.client(one.apiKey).data(CompetitionsDocument);
    const cached = t.app.deps.responseCache!.size;
    expect(cached).toBeGreaterThan(0);

    const first = await t.client(one.apiKey).data(ViewerDocument);
    const second = await t.client(other.apiKey).data(ViewerDocument);
    expect(first.viewer.tenant.id).toBe(toGlobalId('Tenant', one.tenantId));
    expect(second.viewer.tenant.id).toBe(toGlobalId('Tenant', other.tenantId));
    expect(t.app.deps.responseCache!.size).toBe(cached);

    // The rule itself, on the schema the server runs: no tenancy type is shared data.
    const schema = await createBareSchema();
    for (const document of [ViewerDocument, TenantMembersDocument]) {
      expect(readsSharedDataOnly(schema, parse(print(document)))).toBe(false);
    }
    for (const type of ['Tenant', 'Member', 'User', 'ApiKey']) {
      const query = `query($id: ID!) { node(id: $id) { ... on ${type} { id } } }`;
      expect(readsSharedDataOnly(schema, parse(query)), type).toBe(false);
    }
  });
});
