import type { Role } from '../tenants/role';
import type { Scope } from '../tenants/scope';

/** Who is calling: a tenant member, authenticated by one of their API keys. */
export interface Principal {
  tenantId: number;
  tenantSlug: string;
  userId: number;
  role: Role;
  /** Platform permissions of the key (not of the member): OPERATOR, INGEST. */
  scopes: readonly Scope[];
  apiKeyId: number;
}
