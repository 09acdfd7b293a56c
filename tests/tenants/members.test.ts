import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import {
  ChangeMemberRoleDocument,
  InviteMemberDocument,
  RemoveMemberDocument,
  TenantAuditLogDocument,
  TenantMembersDocument,
  ViewerDocument,
} from '../generated/graphql';
import { createMember, unique, type Member } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

/** A tenant with an OWNER; more members join it through `join`. */
async function tenantWithOwner() {
  const owner = await createMember(t.app.orm, Role.OWNER);
  return {
    owner,
    client: t.client(owner.apiKey),
    join: (role: Role) => createMember(t.app.orm, role, { tenantId: owner.tenantId }),
  };
}

const memberId = (member: Member) => toGlobalId('Member', member.membershipId);

async function auditActions(client: GraphqlClient, action?: string): Promise<{ action: string; targetId: string }[]> {
  const { viewer } = await client.data(TenantAuditLogDocument, { first: 100, filter: action ? { action } : undefined });
  return viewer.tenant.auditLog.edges.map((e) => e.node);
}

describe('members', () => {
  it("answers an invitation of another tenant's user exactly as one of a new address, and leaves their name there", async () => {
    const { client } = await tenantWithOwner();
    const other = await createMember(t.app.orm, Role.ADMIN);
    const otherClient = t.client(other.apiKey);
    const { viewer: known } = await otherClient.data(ViewerDocument);
    const invite = (email: string) =>
      client.data(InviteMemberDocument, { input: { email, name: 'Name Chosen By B', role: 'VIEWER' } });

    const { inviteMember: ofKnown } = await invite(known.user.email);
    const { inviteMember: ofNew } = await invite(`fresh-${unique()}@example.test`);

    // Nothing B did not supply tells the two apart: the same fields, new ids alike, B's name.
    const shape = (m: typeof ofKnown) => ({ role: m.role, name: m.user.name, keys: Object.keys(m.user).sort() });
    expect(shape(ofKnown)).toEqual(shape(ofNew));
    expect(ofKnown.user.name).toBe('Name Chosen By B');
    expect(ofKnown.user.id).not.toBe(known.user.id);
    expect(Number(Buffer.from(ofKnown.user.id, 'base64url').toString().split(':')[1])).toBeLessThan(
      Number(Buffer.from(ofNew.user.id, 'base64url').toString().split(':')[1]),
    );
    // Tenant A still calls the user what it called them.
    const { viewer: after } = await otherClient.data(ViewerDocument);
    expect(after.user).toEqual(known.user);
  });

  it('invites a new user, then an existing one, and lists members in joining order', async () => {
    const { owner, client } = await tenantWithOwner();
    const email = `New.Person.${unique()}@Example.TEST`;
    const { inviteMember } = await client.data(InviteMemberDocument, {
      input: { email, name: 'New Person', role: 'ANALYST' },
    });
    expect(inviteMember).toMatchObject({ role: 'ANALYST', user: { email: email.toLowerCase(), name: 'New Person' } });

    // Someone already a user (here: of another tenant) joins under the name this tenant gave.
    const elsewhere = await createMember(t.app.orm, Role.VIEWER);
    const { viewer: theirs } = await t.client(elsewhere.apiKey).data(ViewerDocument);
    const { inviteMember: again } = await client.data(InviteMemberDocument, {
      input: { email: theirs.user.email, name: 'Another Name', role: 'VIEWER' },
    });
    expect(again.user).toMatchObject({ email: theirs.user.email, name: 'Another Name' });

    const { viewer } = await client.data(TenantMembersDocument, { first: 2 });
    const { members } = viewer.tenant;
    expect(members.totalCount).toBe(3);
    expect(members.edges.map((e) => e.node.id)).toEqual([memberId(owner), inviteMember.id]);
    expect(members.pageInfo.hasNextPage).toBe(true);
    const { viewer: next } = await client.data(TenantMembersDocument, { first: 2, after: members.pageInfo.endCursor });
    expect(next.tenant.members.edges.map((e) => e.node.id)).toEqual([again.id]);
    expect(next.tenant.members.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad input naming the field, and a second invitation of a member with CONFLICT', async () => {
    const { client } = await tenantWithOwner();
    const bad = await client.request(InviteMemberDocument, { input: { email: 'nope', name: 'X', role: 'VIEWER' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const blank = await client.request(InviteMemberDocument, {
      input: { email: `${unique()}@example.test`, name: '  ', role: 'VIEWER' },
    });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    const input = { email: `${unique()}@example.test`, name: 'Twice', role: 'VIEWER' as const };
    await client.data(InviteMemberDocument, { input });
    expect(await client.errorCodes(InviteMemberDocument, { input: { ...input, role: 'ADMIN' } })).toEqual(['CONFLICT']);
  });

  it('changes roles, and the new role applies to the member’s key at once', async () => {
    const { client, join } = await tenantWithOwner();
    const viewer = await join(Role.VIEWER);
    const asViewer = t.client(viewer.apiKey);
    expect((await asViewer.data(ViewerDocument)).viewer.role).toBe('VIEWER'); // cached from here on

    const { changeMemberRole } = await client.data(ChangeMemberRoleDocument, { id: memberId(viewer), role: 'ADMIN' });
    expect(changeMemberRole.role).toBe('ADMIN');
    expect((await asViewer.data(ViewerDocument)).viewer.role).toBe('ADMIN');
  });

  it('removes a member and revokes their keys at once', async () => {
    const { client, join } = await tenantWithOwner();
    const leaving = await join(Role.ADMIN);
    const asLeaving = t.client(leaving.apiKey);
    await asLeaving.data(ViewerDocument); // the key is now in the principal cache

    const { removeMember } = await client.data(RemoveMemberDocument, { id: memberId(leaving) });
    expect(removeMember).toEqual({ removedMemberId: memberId(leaving), revokedApiKeys: 1 });
    expect(await asLeaving.errorCodes(ViewerDocument)).toEqual(['UNAUTHENTICATED']);
    const { viewer } = await client.data(TenantMembersDocument, {});
    expect(viewer.tenant.members.edges.map((e) => e.node.id)).not.toContain(memberId(leaving));
    expect(await client.errorCodes(RemoveMemberDocument, { id: memberId(leaving) })).toEqual(['NOT_FOUND']);
  });

  it('keeps the last OWNER: neither removed nor demoted (INVALID_STATE), until another OWNER exists', async () => {
    const { owner, client, join } = await tenantWithOwner();
    expect(await client.errorCodes(RemoveMemberDocument, { id: memberId(owner) })).toEqual(['INVALID_STATE']);
    expect(await client.errorCodes(ChangeMemberRoleDocument, { id: memberId(owner), role: 'ADMIN' })).toEqual([
      'INVALID_STATE',
    ]);
    expect((await client.data(ViewerDocument)).viewer.role).toBe('OWNER');

    const second = await join(Role.ADMIN);
    await client.data(ChangeMemberRoleDocument, { id: memberId(second), role: 'OWNER' });
    const { changeMemberRole } = await client.data(ChangeMemberRoleDocument, { id: memberId(owner), role: 'ADMIN' });
    expect(changeMemberRole.role).toBe('ADMIN');
    // Now the second is the last one.
    const asSecond = t.client(second.apiKey);
    expect(await asSecond.errorCodes(RemoveMemberDocument, { id: memberId(second) })).toEqual(['INVALID_STATE']);
  });

  it('keeps an OWNER when two OWNERs demote each other at once', async () => {
    const { owner, client, join } = await tenantWithOwner();
    const other = await join(Role.OWNER);
    const [a, b] = await Promise.all([
      client.request(ChangeMemberRoleDocument, { id: memberId(other), role: 'VIEWER' }),
      t.client(other.apiKey).request(ChangeMemberRoleDocument, { id: memberId(owner), role: 'VIEWER' }),
    ]);
    const outcomes = [a, b].map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'ok')).sort();
    // The second in line finds one OWNER left: its target is the last, or its caller was demoted.
    expect(outcomes[1]).toBe('ok');
    expect(['INVALID_STATE', 'FORBIDDEN']).toContain(outcomes[0]);
    const { viewer } = await client.data(TenantMembersDocument, {});
    expect(viewer.tenant.members.edges.filter((e) => e.node.role === 'OWNER')).toHaveLength(1);
  });

  it('writes an audit row for each change, newest first, filterable, with the actor', async () => {
    const { owner, client, join } = await tenantWithOwner();
    const invited = await client.data(InviteMemberDocument, {
      input: { email: `${unique()}@example.test`, name: 'Audited', role: 'VIEWER' },
    });
    await client.data(ChangeMemberRoleDocument, { id: invited.inviteMember.id, role: 'ANALYST' });
    const removed = await join(Role.VIEWER);
    await client.data(RemoveMemberDocument, { id: memberId(removed) });

    const entries = await auditActions(client);
    expect(entries.map((e) => e.action)).toEqual(['member.remove', 'member.role.change', 'member.invite']);
    expect(entries.map((e) => e.targetId)).toEqual([
      memberId(removed),
      invited.inviteMember.id,
      invited.inviteMember.id,
    ]);
    expect(await auditActions(client, 'member.invite')).toHaveLength(1);

    const { viewer } = await client.data(TenantAuditLogDocument, { first: 1 });
    const page = viewer.tenant.auditLog;
    expect(page.edges[0]!.node.actor?.id).toBe(toGlobalId('User', owner.membershipId));
    expect(page.totalCount).toBe(3);
    const { viewer: rest } = await client.data(TenantAuditLogDocument, { first: 5, after: page.pageInfo.endCursor });
    expect(rest.tenant.auditLog.edges.map((e) => e.node.action)).toEqual(['member.role.change', 'member.invite']);

    const future = new Date(Date.now() + 60_000).toISOString();
    const { viewer: none } = await client.data(TenantAuditLogDocument, { filter: { from: future } });
    expect(none.tenant.auditLog.totalCount).toBe(0);
  });

  it('shows the audit log to OWNER and ADMIN only', async () => {
    const { join } = await tenantWithOwner();
    const admin = t.client((await join(Role.ADMIN)).apiKey);
    expect(await admin.errorCodes(TenantAuditLogDocument, {})).toEqual([]);
    for (const role of [Role.ANALYST, Role.VIEWER]) {
      const client = t.client((await join(role)).apiKey);
      expect(await client.errorCodes(TenantAuditLogDocument, {})).toEqual(['FORBIDDEN']);
    }
  });
});
