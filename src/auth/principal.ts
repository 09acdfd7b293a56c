import type { Role } from '../tenants/role';

/** Who is calling: a tenant member, authenticated by one of their API keys. */
export interface Principal {
  tenantId: number;
  tenantSlug: string;
  userId: number;
  role: Role;
  apiKeyId: number;
}
