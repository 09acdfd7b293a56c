import { describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { CompetitionsDocument } from '../generated/graphql';
import { createMember, revokeKey } from '../support/factories';
import { redisUrlForTests } from '../support/redis';
import { startTestApp } from '../support/test-app';

const redisUrl = redisUrlForTests('principal cache across instances');
const keyLookups = (queries: string[]) => queries.filter((sql) => /from api_key/.test(sql)).length;

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe('principal cache', () => {
  it('reads a key from the database once, then from memory', async () => {
    // Its own pub/sub: a revocation by a test running beside it (on a shared Redis) while the key
    // is read keeps that read out of the cache, as it should, and would count a second read here.
    const t = await startTestApp({ redisUrl: undefined });
    const client = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    t.resetQueries();
    for (let i = 0; i < 3; i++) await client.data(CompetitionsDocument);
    expect(keyLookups(t.queries)).toBe(1);
  });

  it('reads the key every time when AUTH_CACHE_TTL_SECONDS is 0', async () => {
    const t = await startTestApp({ authCacheTtlSeconds: 0 });
    const client = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    t.resetQueries();
    for (let i = 0; i < 3; i++) await client.data(CompetitionsDocument);
    expect(keyLookups(t.queries)).toBe(3);
  });

  it('refuses a cached key once it expires', async () => {
    const t = await startTestApp();
    const member = await createMember(t.app.orm, Role.VIEWER);
    await t.app.orm.em
      .getConnection()
      .execute(`update api_key set expires_at = now() + interval '1 second' where id = ?`, [member.apiKeyId]);
    const client = t.client(member.apiKey);
    expect((await client.request(CompetitionsDocument)).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await client.errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a key revoked without an announcement once AUTH_CACHE_TTL_SECONDS has passed', async () => {
    const t = await startTestApp({ authCacheTtlSeconds: 1 });
    const member = await createMember(t.app.orm, Role.VIEWER);
    const client = t.client(member.apiKey);
    expect((await client.request(CompetitionsDocument)).errors).toBeUndefined();
    // Plain SQL, as if the revocation's pub/sub message were lost: the cached principal still answers.
    await t.app.orm.em.getConnection().execute('update api_key set revoked_at = now() where id = ?', [member.apiKeyId]);
    expect((await client.request(CompetitionsDocument)).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await client.errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
  });

  it.skipIf(!redisUrl)('forgets a revoked key at once on every instance sharing Redis', async () => {
    const namespace = `test-principals-${Date.now()}`;
    const a = await startTestApp({ redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ redisUrl, redisNamespace: namespace });
    const member = await createMember(a.app.orm, Role.VIEWER);
    expect((await a.client(member.apiKey).request(CompetitionsDocument)).errors).toBeUndefined();
    expect((await b.client(member.apiKey).request(CompetitionsDocument)).errors).toBeUndefined();

    await revokeKey(a.app, member);
    expect(await a.client(member.apiKey).errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
    const refusedOnB = () =>
      b
        .client(member.apiKey)
        .errorCodes(CompetitionsDocument)
        .then((codes) => codes[0] === 'UNAUTHENTICATED');
    expect(await until(refusedOnB, 1000)).toBe(true);
  });
});
