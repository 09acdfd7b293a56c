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
  auditIn(em, principal?.tenantId ?? null, principal?.userId ?? null, action, entity, data);
}

/**
 * An audit row in a given tenant, for changes made without a principal of that tenant (the
 * command line, or an operator creating the tenant). Never pass a secret in `data`.
 */
export function auditIn(
  em: EntityManager,
  tenantId: number | null,
  userId: number | null,
  action: string,
  entity: { type: string; id: number | string },
  data?: Record<string, unknown>,
): void {
  em.create(AuditLog, {
    tenant: tenantId === null ? null : em.getReference(Tenant, tenantId),
    user: userId === null ? null : em.getReference(User, userId),
    action,
    entityType: entity.type,
    entityId: String(entity.id),
    data: data ?? null,
  });
}

/**
 * The audit row as an `insert … select` from `source`, a CTE (or table) whose `id` column is the
 * audited entity's id: a write path that runs its own SQL stores the change and its audit in one
 * statement (so one transaction, as `audit` ensures for a unit of work). `tenant: 'audited'` files
 * the row under the audited entity itself (a tenant), read from `source` rather than passed: an id
 * the caller sent never reaches a cast that could fail the statement.
 */
export function auditInsertFrom(
  source: string,
  principal: Principal | null,
  action: string,
  entityType: string,
  data?: Record<string, unknown>,
  tenant: 'principal' | 'audited' = 'principal',
): { sql: string; params: unknown[] } {
  const tenantColumn = tenant === 'audited' ? `${source}.id` : '?::int';
  return {
    sql:
      `insert into audit_log (${AUDIT_COLUMNS}) ` +
      `select ${tenantColumn}, ?::int, ?, ?, ${source}.id::text, ?::jsonb, ?::timestamptz from ${source}`,
    params: [
      ...(tenant === 'audited' ? [] : [principal?.tenantId ?? null]),
      principal?.userId ?? null,
      action,
      entityType,
      data ? JSON.stringify(data) : null,
      new Date(),
    ],
  };
}

const AUDIT_COLUMNS = 'tenant_id, user_id, action, entity_type, entity_id, data, created_at';

/**
 * As `auditInsertFrom`, one audit row per row of `source` with its own data: `${source}.${idColumn}`
 * is the audited entity's id and `${source}.${dataColumn}` (jsonb) the row's data.
 */
export function auditRowsInsertFrom(
  source: string,
  principal: Principal | null,
  action: string,
  entityType: string,
  columns: { id: string; data: string },
): { sql: string; params: unknown[] } {
  return {
    sql:
      `insert into audit_log (${AUDIT_COLUMNS}) ` +
      `select ?::int, ?::int, ?, ?, ${source}.${columns.id}::text, ${source}.${columns.data}, ?::timestamptz from ${source}`,
    params: [principal?.tenantId ?? null, principal?.userId ?? null, action, entityType, new Date()],
  };
}
