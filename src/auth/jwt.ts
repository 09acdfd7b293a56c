import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { Role } from '../tenants/role';

/** How JWTs of the deployment's identity provider are checked and read (see config: JWT_*). */
export interface JwtSettings {
  issuer: string;
  audience: string;
  /** The provider's key set (asymmetric keys); exactly one of jwksUrl and secret is set. */
  jwksUrl: string | null;
  /** A shared secret (HS256). */
  secret: string | null;
  /** Claim naming the tenant by its slug. */
  tenantClaim: string;
  /** Claim holding the tenant role (VIEWER, ANALYST, ADMIN, OWNER). */
  roleClaim: string;
  /** Leeway for exp/nbf against clock drift between the provider and this server. */
  clockToleranceSeconds: number;
}

/** Who a verified JWT says the caller is. */
export interface JwtIdentity {
  tenantSlug: string;
  role: Role;
  /** The user, by the `email` claim. */
  email: string;
  name: string | null;
  /** The token's `exp`: the principal, and its subscriptions, end then. */
  expiresAt: Date;
}

/** Why a token was refused, worded for the caller (no token content is echoed). */
export class JwtRejected extends Error {}

export type JwtVerifier = (token: string) => Promise<JwtIdentity>;

const ROLES = new Set<string>(Object.values(Role));

/** A verifier bound to the settings; the key set is fetched once and refreshed by jose's cache. */
export function jwtVerifier(settings: JwtSettings): JwtVerifier {
  const key = verificationKey(settings);
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await (typeof key === 'function'
        ? jwtVerify(token, key, verifyOptions(settings))
        : jwtVerify(token, key, verifyOptions(settings))));
    } catch (error) {
      throw new JwtRejected(rejectionReason(error));
    }
    return identityFromClaims(payload, settings);
  };
}

/** Looks like a JWT (three base64url parts) rather than an API key. */
export function isJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

export function identityFromClaims(payload: JWTPayload, settings: JwtSettings): JwtIdentity {
  const tenantSlug = payload[settings.tenantClaim];
  const role = payload[settings.roleClaim];
  const email = payload['email'];
  if (typeof tenantSlug !== 'string' || tenantSlug === '') {
    throw new JwtRejected(`The token has no "${settings.tenantClaim}" claim naming a tenant`);
  }
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw new JwtRejected(`The token's "${settings.roleClaim}" claim must be one of ${[...ROLES].join(', ')}`);
  }
  if (typeof email !== 'string' || !email.includes('@')) throw new JwtRejected('The token has no "email" claim');
  // jwtVerify has checked exp when present; a token without one would never end.
  if (typeof payload.exp !== 'number') throw new JwtRejected('The token has no expiry ("exp" claim)');
  const name = payload['name'];
  return {
    tenantSlug,
    role: role as Role,
    email: email.toLowerCase(),
    name: typeof name === 'string' ? name : null,
    expiresAt: new Date(payload.exp * 1000),
  };
}

function verificationKey(settings: JwtSettings): JWTVerifyGetKey | Uint8Array {
  if (settings.jwksUrl) return createRemoteJWKSet(new URL(settings.jwksUrl));
  if (settings.secret) return new TextEncoder().encode(settings.secret);
  throw new Error('JWT settings need a JWKS URL or a secret');
}

function verifyOptions(settings: JwtSettings) {
  return {
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: settings.clockToleranceSeconds,
    requiredClaims: ['exp'],
    // A shared secret allows HMAC only; a key set allows the asymmetric algorithms only.
    algorithms: settings.secret ? ['HS256', 'HS384', 'HS512'] : ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'],
  };
}

function rejectionReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `The token's ${(error as { claim?: string }).claim ?? 'claims'} claim is not accepted here`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The token is not signed by the configured identity provider';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'The identity provider could not be reached to check the token';
    default:
      return 'The token is malformed';
  }
}
