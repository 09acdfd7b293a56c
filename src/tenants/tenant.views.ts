import { toGlobalId } from '../common/global-id';
import { nullableTimestampOf, timestampOf } from '../db/select';
import type { Role } from './role';
import type { Scope } from './scope';
import { ApiKeyType, AuditEntry, Member, TenantType, UserType } from './tenant.types';

// Plain rows of the tenancy tables and the GraphQL objects built from them. Every statement
// that reads these rows takes the caller's tenant as a parameter (see tenant.service.ts).

export const TENANT_COLUMNS = 't.id, t.slug, t.name, t.created_at';

export interface TenantRow {
  id: number;
  slug: string;
  name: string;
  created_at: string;
}

export function tenantFromRow(row: TenantRow): TenantType {
  return Object.assign(new TenantType(), {
    id: row.id,
    slug: row.slug,
    name: row.name,
    createdAt: timestampOf(row.created_at),
  });
}

/**
 * A membership with its user (`m` joined to `u`). The user as a tenant sees them: the name the
 * tenant gave, and an id of the membership's, so another tenant's user reads as a new one.
 */
export const MEMBER_COLUMNS =
  'm.id as member_id, m.tenant_id, m.role, m.created_at as member_created_at, u.email, m.name as user_name';

export interface MemberRow {
  member_id: number;
  tenant_id: number;
  role: Role;
  member_created_at: string;
  email: string;
  user_name: string;
}

export function userFromRow(row: { member_id: number; email: string; user_name: string }): UserType {
  return Object.assign(new UserType(), { id: row.member_id, email: row.email, name: row.user_name });
}

export function memberFromRow(row: MemberRow): Member {
  return Object.assign(new Member(), {
    id: row.member_id,
    tenantId: row.tenant_id,
    user: userFromRow(row),
    role: row.role,
    createdAt: timestampOf(row.member_created_at),
  });
}

/** A key with its member and user (`k` joined to `m` and `u`); never the hash. */
export const API_KEY_COLUMNS =
  'k.id, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at, k.expires_at, k.revoked_at, ' + MEMBER_COLUMNS;

export interface ApiKeyRow extends MemberRow {
  id: number;
  name: string;
  prefix: string;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export function apiKeyFromRow(row: ApiKeyRow): ApiKeyType {
  return Object.assign(new ApiKeyType(), {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    member: memberFromRow(row),
    createdAt: timestampOf(row.created_at),
    lastUsedAt: nullableTimestampOf(row.last_used_at),
    expiresAt: nullableTimestampOf(row.expires_at),
    revokedAt: nullableTimestampOf(row.revoked_at),
  });
}

export interface AuditRow {
  id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  created_at: string;
  /** Null unless the actor is (still) a member of the row's tenant. */
  member_id: number | null;
  email: string | null;
  user_name: string | null;
}

export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return Object.assign(new AuditEntry(), {
    id: toGlobalId('AuditEntry', row.id),
    action: row.action,
    targetType: row.entity_type,
    targetId: toGlobalId(row.entity_type, row.entity_id),
    actor:
      row.member_id === null
        ? null
        : userFromRow({ member_id: row.member_id, email: row.email!, user_name: row.user_name! }),
    createdAt: timestampOf(row.created_at),
  });
}
