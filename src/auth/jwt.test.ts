import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJwt, JwtRejected, jwtVerifier, type JwtSettings } from './jwt';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const base: JwtSettings = {
  issuer: 'https://id.example.test/',
  audience: 'matchcast',
  jwksUrl: null,
  secret: SECRET,
  tenantClaim: 'tenant',
  roleClaim: 'role',
  clockToleranceSeconds: 5,
};
const claims = { tenant: 'acme', role: 'ANALYST', email: 'Ann@Acme.test', name: 'Ann' };

function hmacToken(payload: JWTPayload, { expiresIn = '5m', issuer = base.issuer, audience = base.audience } = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(SECRET));
}

describe('JWTs with a shared secret', () => {
  const verify = jwtVerifier(base);

  it('map their claims to tenant, role and user', async () => {
    const identity = await verify(await hmacToken(claims));
    expect(identity).toMatchObject({ tenantSlug: 'acme', role: 'ANALYST', email: 'ann@acme.test', name: 'Ann' });
    expect(identity.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ['an expired token', () => hmacToken(claims, { expiresIn: '-1m' }), 'The token has expired'],
    ['another issuer', () => hmacToken(claims, { issuer: 'https://evil.test/' }), 'iss claim'],
    ['another audience', () => hmacToken(claims, { audience: 'other-api' }), 'aud claim'],
    ['an unknown role', () => hmacToken({ ...claims, role: 'ROOT' }), 'must be one of'],
    ['no tenant', () => hmacToken({ role: 'VIEWER', email: 'a@b.test' }), 'naming a tenant'],
    ['no email', () => hmacToken({ tenant: 'acme', role: 'VIEWER' }), '"email"'],
    [
      'another secret',
      () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(base.issuer)
          .setAudience(base.audience)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(40))),
      'not signed by the configured identity provider',
    ],
    ['an unsigned token', async () => `${(await hmacToken(claims)).split('.').slice(0, 2).join('.')}.`, 'not signed'],
    ['garbage', async () => 'not.a.token', 'malformed'],
  ])('refuse %s with a reason', async (_, token, reason) => {
    const refused = verify(await token());
    await expect(refused).rejects.toBeInstanceOf(JwtRejected);
    await expect(refused).rejects.toThrow(reason);
  });

  it('tell JWTs from API keys', async () => {
    expect(isJwt(await hmacToken(claims))).toBe(true);
    expect(isJwt('mc_0123456789abcdefghijklmnopqrstuv')).toBe(false);
  });
});

describe('JWTs checked against an identity provider key set (JWKS over HTTP)', () => {
  let server: http.Server;
  let jwksUrl: string;
  const keys = generateKeyPair('RS256');

  beforeAll(async () => {
    const { publicKey } = await keys;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const rsaToken = async (payload: JWTPayload) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(base.issuer)
      .setAudience(base.audience)
      .setExpirationTime('5m')
      .sign((await keys).privateKey);

  it('accept a token signed by the provider', async () => {
    const verify = jwtVerifier({ ...base, secret: null, jwksUrl });
    expect(await verify(await rsaToken({ ...claims, role: 'OWNER' }))).toMatchObject({ role: 'OWNER' });
  });

  it('refuse an HMAC token made with the public key set as secret (algorithm confusion)', async () => {
    const verify = jwtVerifier({ ...base, secret: null, jwksUrl });
    await expect(verify(await hmacToken(claims))).rejects.toThrow('not signed by the configured identity provider');
  });
});
