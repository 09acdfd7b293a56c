import type { Role } from '../tenants/role';
import type { Scope } from '../tenants/scope';

/** Who is calling: a tenant member, authenticated by one of their API keys or by a JWT. */
export interface Principal {
  tenantId: number;
  tenantSlug: string;
  userId: number;
  role: Role;
  /** Platform permissions of the key (not of the member): OPERATOR, INGEST. JWTs carry none. */
  scopes: readonly Scope[];
  /** The API key used; null for a JWT. */
  apiKeyId: number | null;
  /**
   * What revocation names (see `Topic.CREDENTIALS_REVOKED`) and socket limits count: one API key
   * (`apiKeyCredential`), or a member signed in by JWT (`memberCredential`).
   */
  credential: string;
  /** When the key or token stops being accepted (its open subscriptions end then); null: never. */
  expiresAt: Date | null;
}

export function apiKeyCredential(apiKeyId: number): string {
  return `key:${apiKeyId}`;
}

/** Every JWT of one member: removing the member ends them all. */
export function memberCredential(tenantId: number, userId: number): string {
  return `member:${tenantId}:${userId}`;
}
