import { describe, expect, it } from 'vitest';
import { Role } from '../tenants/role';
import { apiKeyCredential } from './principal';
import { PrincipalCache } from './principal-cache';

const principal = {
  apiKeyId: 7,
  credential: apiKeyCredential(7),
  expiresAt: null,
  tenantId: 1,
  tenantSlug: 't',
  userId: 1,
  role: Role.VIEWER,
  scopes: [],
};

describe('PrincipalCache', () => {
  it('does not keep a key read before a revocation that came while it was read', () => {
    const cache = new PrincipalCache(60_000);
    const before = cache.revocations;
    cache.forget([apiKeyCredential(7)]); // revoked while the lookup ran
    cache.set('hash', { principal, expiresAt: null }, before);
    expect(cache.get('hash')).toBeUndefined();
    cache.set('hash', { principal, expiresAt: null }, cache.revocations);
    expect(cache.get('hash')).toEqual(principal);
  });

  it('stops answering for a key at its expiry', () => {
    const cache = new PrincipalCache(60_000);
    cache.set('hash', { principal, expiresAt: 1_000 }, cache.revocations);
    expect(cache.get('hash', 999)).toEqual(principal);
    expect(cache.get('hash', 1_000)).toBeUndefined();
  });

  it('answers an entry for at most its TTL from when it was read, however often it is used', async () => {
    const cache = new PrincipalCache(200);
    cache.set('hash', { principal, expiresAt: null }, cache.revocations);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(cache.get('hash')).toEqual(principal);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(cache.get('hash')).toBeUndefined();
  });

  it('forgets everything on clear, and does not keep a lookup begun before it', () => {
    const cache = new PrincipalCache(60_000);
    cache.set('hash', { principal, expiresAt: null }, cache.revocations);
    const before = cache.revocations;
    cache.clear();
    expect(cache.get('hash')).toBeUndefined();
    cache.set('other', { principal, expiresAt: null }, before);
    expect(cache.get('other')).toBeUndefined();
  });
});
