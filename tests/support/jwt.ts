import { SignJWT } from 'jose';
import type { JwtSettings } from '../../src/auth/jwt';
import type { Orm } from '../../src/db/orm';
import type { Member } from './factories';

/** JWT settings of test apps: a shared secret, as a deployment without a key set would have. */
export const TEST_JWT_SETTINGS: JwtSettings = {
  issuer: 'https://idp.example.test/',
  audience: 'matchcast-api',
  jwksUrl: null,
  secret: 'a-shared-secret-of-at-least-32-characters!',
  tenantClaim: 'tenant',
  roleClaim: 'role',
  clockToleranceSeconds: 0,
};

export interface TestClaims {
  tenant?: string;
  role?: string;
  email?: string;
  iss?: string;
  aud?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  secret?: string;
}

/** A token as the identity provider of TEST_JWT_SETTINGS would sign it (HS256). */
export function signTestJwt(claims: TestClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { iss, aud, expiresIn, secret, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(iss ?? TEST_JWT_SETTINGS.issuer)
    .setAudience(aud ?? TEST_JWT_SETTINGS.audience)
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (expiresIn ?? 600))
    .sign(new TextEncoder().encode(secret ?? TEST_JWT_SETTINGS.secret!));
}

/** What a member's token names: their tenant's slug and their email. */
export async function claimsOf(orm: Orm, member: Member): Promise<{ tenant: string; email: string }> {
  const [row] = await orm.em
    .fork()
    .getConnection()
    .execute<{ tenant: string; email: string }[]>(
      'select t.slug as tenant, u.email from tenant t, app_user u where t.id = ? and u.id = ?',
      [member.tenantId, member.userId],
    );
  return row!;
}
