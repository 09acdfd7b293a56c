import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { AuditLog } from './audit-log.entity';
import { Tenant } from './tenant.entity';
import { User } from './user.entity';

/** Adds an audit row to the unit of work, so it commits (or not) with the change it records. */
export function audit(
  em: EntityManager,
  principal: Principal | null,
  action: string,
  entity: { type: string; id: number | string },
  data?: Record<string, unknown>,
): void {
  em.create(AuditLog, {
    tenant: principal ? em.getReference(Tenant, principal.tenantId) : null,
    user: principal ? em.getReference(User, principal.userId) : null,
    action,
    entityType: entity.type,
    entityId: String(entity.id),
    data: data ?? null,
  });
}
