import type { Principal } from '../auth/principal';
import { UnauthenticatedError } from '../errors';

/**
 * The caller's tenant, which every statement on tenant-private rows takes as a condition. The
 * permission layer admits only members; this second layer refuses anyone else outright.
 */
export function tenantIdOf(principal: Principal | null): number {
  if (!principal) throw new UnauthenticatedError();
  return principal.tenantId;
}
