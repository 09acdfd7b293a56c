import type { EntityManager } from '@mikro-orm/postgresql';
import { generateApiKey, hashApiKey, visiblePrefix } from '../auth/api-key';
import { apiKeyCredential, type Principal } from '../auth/principal';
import type { CachedPrincipal } from '../auth/principal-cache';
import { timestampOf } from '../db/select';
import type { Role } from './role';
import type { Scope } from './scope';
import { ApiKey } from './api-key.entity';
import { PLAN_COLUMNS, planFromRow, type PlanRow } from './plan.service';
import type { Membership } from './membership.entity';

interface PrincipalRow extends PlanRow {
  api_key_id: number;
  last_used_at: string | Date | null;
  expires_at: string | null;
  tenant_id: number;
  tenant_slug: string;
  user_id: number;
  role: Role;
  scopes: Scope[];
}

/** `lastUsedAt` is refreshed at most this often, so busy keys do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

/** Resolves an API key to its member in one query; null for unknown, revoked or expired keys. */
export async function principalForApiKey(em: EntityManager, key: string): Promise<CachedPrincipal | null> {
  const rows: PrincipalRow[] = await em.getConnection().execute(
    `select k.id as api_key_id, k.last_used_at, k.expires_at, k.scopes, m.tenant_id, t.slug as tenant_slug, m.user_id,
            m.role, ${PLAN_COLUMNS}
       from api_key k
       join membership m on m.id = k.membership_id
       join tenant t on t.id = m.tenant_id
       join plan p on p.id = t.plan_id
      where k.hash = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())`,
    [hashApiKey(key)],
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
    // Best effort and off the request's path: a lost update only blurs "last used".
    em.getConnection()
      .execute('update api_key set last_used_at = now() where id = ?', [row.api_key_id])
      .catch(() => undefined);
  }
  const expiresAt = row.expires_at === null ? null : timestampOf(row.expires_at);
  const principal: Principal = {
    apiKeyId: row.api_key_id,
    credential: apiKeyCredential(row.api_key_id),
    expiresAt,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    userId: row.user_id,
    role: row.role,
    scopes: row.scopes,
  };
  return {
    principal,
    expiresAt: expiresAt?.getTime() ?? null,
    // The plan comes along: quotas need it for this request, and then need no read of their own.
    plan: planFromRow(row),
  };
}

/** Revokes a key; the caller announces it (`Topic.CREDENTIALS_REVOKED`) after the commit. */
export async function revokeApiKey(em: EntityManager, apiKeyId: number): Promise<boolean> {
  const revoked = await em.nativeUpdate(ApiKey, { id: apiKeyId, revokedAt: null }, { revokedAt: new Date() });
  return revoked > 0;
}

export interface ApiKeyOptions {
  /** Platform permissions; none by default. */
  scopes?: readonly Scope[];
  expiresAt?: Date | null;
}

/** Creates a key for a membership; returns the plain key, which is never stored. */
export function issueApiKey(
  em: EntityManager,
  membership: Membership,
  name: string,
  plainKey: string = generateApiKey(),
  options: ApiKeyOptions = {},
): { entity: ApiKey; plainKey: string } {
  const entity = em.create(ApiKey, {
    membership,
    name,
    prefix: visiblePrefix(plainKey),
    hash: hashApiKey(plainKey),
    scopes: [...(options.scopes ?? [])],
    expiresAt: options.expiresAt ?? null,
  });
  return { entity, plainKey };
}
