import { beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CreateApiKeyDocument,
  RecordMatchEventDocument,
  RevokeApiKeyDocument,
  TenantApiKeysDocument,
  TenantAuditLogDocument,
  ViewerDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

const sql = <T>(query: string, params: unknown[] = []) => t.app.orm.em.getConnection().execute<T[]>(query, params);

describe('API keys', () => {
  it('creates a key acting as its creator and shows its secret once', async () => {
    const admin = await createMember(t.app.orm, Role.ADMIN);
    const client = t.client(admin.apiKey);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const { createApiKey } = await client.data(CreateApiKeyDocument, { input: { name: 'reporting', expiresAt } });
    const { secret, apiKey } = createApiKey;
    expect(secret).toMatch(/^mc_/);
    expect(apiKey).toMatchObject({
      name: 'reporting',
      prefix: secret.slice(0, 11),
      scopes: [],
      expiresAt,
      revokedAt: null,
      member: { id: toGlobalId('Member', admin.membershipId) },
    });

    // The new key works and is the same member.
    const { viewer } = await t.client(secret).data(ViewerDocument);
    expect(viewer).toMatchObject({ role: 'ADMIN', member: { id: toGlobalId('Member', admin.membershipId) } });

    // Never shown again: not in the listing, the audit log, or the database (its hash only).
    const listing = await client.request(TenantApiKeysDocument, {});
    const audit = await client.request(TenantAuditLogDocument, {});
    expect(JSON.stringify(listing)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(secret.slice(11));
    expect(listing.data!.viewer.tenant.apiKeys.edges.map((e) => e.node.name)).toEqual(['test', 'reporting']);
    const [row] = await sql<{ hash: string; dump: string }>(
      `select k.hash, (select string_agg(coalesce(data::text, ''), ' ') from audit_log where tenant_id = ?) as dump
         from api_key k where k.id = ?`,
      [admin.tenantId, fromGlobalId(apiKey.id).id],
    );
    expect(row!.hash).toBe(hashApiKey(secret));
    expect(row!.dump).not.toContain(secret.slice(11));
    expect(row!.dump).toContain('reporting');
  });

  it('grants only scopes the calling key holds', async () => {
    const plain = t.client((await createMember(t.app.orm, Role.OWNER)).apiKey);
    expect(await plain.errorCodes(CreateApiKeyDocument, { input: { name: 'x', scopes: ['INGEST'] } })).toEqual([
      'FORBIDDEN',
    ]);

    const operator = t.client(
      (await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR, Scope.INGEST] })).apiKey,
    );
    const { createApiKey } = await operator.data(CreateApiKeyDocument, { input: { name: 'feed', scopes: ['INGEST'] } });
    expect(createApiKey.apiKey.scopes).toEqual(['INGEST']);
    expect((await t.client(createApiKey.secret).data(ViewerDocument)).viewer.scopes).toEqual(['INGEST']);
  });

  it('refuses bad input naming the field, and ANALYST or VIEWER callers', async () => {
    const admin = t.client((await createMember(t.app.orm, Role.ADMIN)).apiKey);
    const past = await admin.request(CreateApiKeyDocument, {
      input: { name: 'old', expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    const long = await admin.request(CreateApiKeyDocument, { input: { name: 'n'.repeat(129) } });
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    for (const role of [Role.ANALYST, Role.VIEWER]) {
      const client = t.client((await createMember(t.app.orm, role)).apiKey);
      expect(await client.errorCodes(CreateApiKeyDocument, { input: { name: 'x' } })).toEqual(['FORBIDDEN']);
      expect(await client.errorCodes(TenantApiKeysDocument, {})).toEqual(['FORBIDDEN']);
    }
  });

  it('revokes a key at once, even while its principal is cached, and only once', async () => {
    const owner = await createMember(t.app.orm, Role.OWNER);
    const client = t.client(owner.apiKey);
    const { createApiKey } = await client.data(CreateApiKeyDocument, { input: { name: 'short-lived' } });
    const revocable = t.client(createApiKey.secret);
    await revocable.data(ViewerDocument); // cached from here on (AUTH_CACHE_TTL_SECONDS)

    const { revokeApiKey } = await client.data(RevokeApiKeyDocument, { id: createApiKey.apiKey.id });
    expect(revokeApiKey.revokedAt).not.toBeNull();
    expect(await revocable.errorCodes(ViewerDocument)).toEqual(['UNAUTHENTICATED']);
    expect(await client.errorCodes(RevokeApiKeyDocument, { id: createApiKey.apiKey.id })).toEqual(['INVALID_STATE']);

    const { viewer } = await client.data(TenantAuditLogDocument, { filter: { action: 'api_key.revoke' } });
    expect(viewer.tenant.auditLog.edges.map((e) => e.node.targetId)).toEqual([createApiKey.apiKey.id]);
  });

  it('lets an INGEST key record match events of a live feed, and nothing else of the platform', async () => {
    const feed = await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.INGEST] });
    const league = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const input = { matchId: matchId!, type: 'KICK_OFF' as const, minute: 0, source: 'feed', externalId: unique() };
    const { recordMatchEvent } = await t.client(feed.apiKey).data(RecordMatchEventDocument, { input });
    expect(recordMatchEvent.match.status).toBe('LIVE');
  });
});
