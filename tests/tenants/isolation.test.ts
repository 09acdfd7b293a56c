import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  ChangeMemberRoleDocument,
  CreateTenantWithMembersDocument,
  RemoveMemberDocument,
  RevokeApiKeyDocument,
  TenantApiKeysDocument,
  TenantAuditLogDocument,
  TenantMembersDocument,
  TenantNodeDocument,
  ViewerDocument,
} from '../generated/graphql';
import { createMember, unique, type Member } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let ours: Member;
let us: GraphqlClient;
let theirs: { owner: Member; admin: Member };

beforeAll(async () => {
  t = await startTestApp();
  ours = await createMember(t.app.orm, Role.OWNER, { scopes: [Scope.OPERATOR] });
  us = t.client(ours.apiKey);
  const owner = await createMember(t.app.orm, Role.OWNER);
  theirs = { owner, admin: await createMember(t.app.orm, Role.ADMIN, { tenantId: owner.tenantId }) };
});

const foreignIds = () => ({
  tenant: toGlobalId('Tenant', theirs.owner.tenantId),
  member: toGlobalId('Member', theirs.admin.membershipId),
  user: toGlobalId('User', theirs.admin.membershipId),
  apiKey: toGlobalId('ApiKey', theirs.admin.apiKeyId),
});

/** Their tenant as they see it: members, keys and audit rows. */
async function theirState() {
  const owner = t.client(theirs.owner.apiKey);
  const members = await owner.data(TenantMembersDocument, {});
  const keys = (await owner.data(TenantApiKeysDocument, {})).viewer.tenant.apiKeys.edges.map(
    // Set in the background on a key's first use: not a change anyone made.
    ({ node: { lastUsedAt: _lastUsedAt, ...key } }) => key,
  );
  const audit = await owner.data(TenantAuditLogDocument, {});
  return { members, keys, audit };
}

describe('tenant isolation', () => {
  it("answers node(id) of another tenant's tenant, member, user and key as for an id that does not exist", async () => {
    const missing = await us.request(TenantNodeDocument, { id: toGlobalId('Member', 987_654_321) });
    expect(missing).toEqual({ status: 200, data: { node: null } });
    for (const [kind, id] of Object.entries(foreignIds())) {
      expect(await us.request(TenantNodeDocument, { id }), kind).toEqual(missing);
    }
    // ...while our own resolve.
    const own = await us.data(TenantNodeDocument, { id: toGlobalId('Member', ours.membershipId) });
    expect(own.node).toMatchObject({ __typename: 'Member', role: 'OWNER' });
    const tenant = await us.data(TenantNodeDocument, { id: toGlobalId('Tenant', ours.tenantId) });
    expect(tenant.node).toMatchObject({ __typename: 'Tenant', id: toGlobalId('Tenant', ours.tenantId) });
  });

  it("refuses mutations on another tenant's members and keys with NOT_FOUND, and changes nothing", async () => {
    const before = await theirState();
    const { member, apiKey } = foreignIds();
    const attempts = [
      us.request(RemoveMemberDocument, { id: member }),
      us.request(ChangeMemberRoleDocument, { id: member, role: 'VIEWER' }),
      us.request(RevokeApiKeyDocument, { id: apiKey }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      // The message names the id as sent; nothing about the row behind it.
      expect(response.errors?.[0]?.message).toMatch(/was not found$/);
    }
    expect(await theirState()).toEqual(before);
    expect((await t.client(theirs.admin.apiKey).data(ViewerDocument)).viewer.role).toBe('ADMIN');
  });

  it("answers another tenant's ids the same as missing ones to a caller of any role", async () => {
    const viewer = t.client((await createMember(t.app.orm, Role.VIEWER, { tenantId: ours.tenantId })).apiKey);
    const { member } = foreignIds();
    // A VIEWER may not remove members at all: FORBIDDEN, whether the member exists or not.
    expect(await viewer.errorCodes(RemoveMemberDocument, { id: member })).toEqual(['FORBIDDEN']);
    expect(await viewer.errorCodes(RemoveMemberDocument, { id: toGlobalId('Member', 987_654_321) })).toEqual([
      'FORBIDDEN',
    ]);
  });

  it("does not open a new tenant's private fields to the operator who created it", async () => {
    const slug = `iso-${unique()}`;
    const response = await us.request(CreateTenantWithMembersDocument, {
      input: { slug, name: 'Isolated', ownerEmail: `${slug}@example.test`, ownerName: 'Owner' },
    });
    expect(response.data).toBeNull();
    expect(response.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
      ['NOT_FOUND', 'createTenant.tenant.members'],
    ]);
  });
});
