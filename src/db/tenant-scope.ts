import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows } from './select';

/** The database role of tenant-scoped work: no BYPASSRLS, owns no table (see the RLS migration). */
export const TENANT_ROLE = 'matchcast_app';

/**
 * Runs `work` in a transaction as TENANT_ROLE with `matchcast.tenant_id` set to the caller's
 * tenant, so row-level security refuses other tenants' rows of every tenant-private table even
 * where a statement forgets its `tenant_id` condition. Both settings are local to the
 * transaction: nothing stays on the pooled connection. Work that must cross tenants (signing
 * in, usage counters, alert evaluation, operators' tools) runs outside it, as the login role.
 */
export async function inTenantScope<T>(
  em: EntityManager,
  tenantId: number,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  if (!Number.isSafeInteger(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  return em.fork().transactional(async (tx) => {
    const scoped = tx as EntityManager;
    // One round trip: the id is an integer checked above, never text from a caller.
    await scoped
      .getConnection()
      .execute(
        `set local role ${TENANT_ROLE}; select set_config('matchcast.tenant_id', '${tenantId}', true)`,
        [],
        'run',
        scoped.getTransactionContext(),
      );
    return work(scoped);
  });
}

/** One read statement in the tenant scope (see `inTenantScope`). */
export function selectTenantRows<Row>(
  em: EntityManager,
  tenantId: number,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  return inTenantScope(em, tenantId, (scoped) => selectRows<Row>(scoped, sql, params));
}
