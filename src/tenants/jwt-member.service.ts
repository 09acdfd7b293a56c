import type { EntityManager } from '@mikro-orm/postgresql';
import type { JwtIdentity } from '../auth/jwt';
import { memberCredential, type Principal } from '../auth/principal';
import type { CachedPrincipal } from '../auth/principal-cache';
import { PLAN_COLUMNS, planFromRow, type PlanRow } from './plan.service';

interface MemberRow extends PlanRow {
  tenant_id: number;
  tenant_slug: string;
  user_id: number;
}

/**
 * The member a verified JWT names, in one query; null when the tenant does not exist or the
 * user (by email) is not its member. Membership is managed here (invite, remove), so removing a
 * member locks out their tokens too; the role is the token's: the identity provider decides it.
 */
export async function principalForJwt(em: EntityManager, identity: JwtIdentity): Promise<CachedPrincipal | null> {
  const rows: MemberRow[] = await em.getConnection().execute(
    `select m.tenant_id, t.slug as tenant_slug, m.user_id, ${PLAN_COLUMNS}
       from tenant t
       join membership m on m.tenant_id = t.id
       join app_user u on u.id = m.user_id
       join plan p on p.id = t.plan_id
      where t.slug = ? and u.email = ?`,
    [identity.tenantSlug, identity.email],
  );
  const row = rows[0];
  if (!row) return null;
  const principal: Principal = {
    apiKeyId: null,
    credential: memberCredential(row.tenant_id, row.user_id),
    expiresAt: identity.expiresAt,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    userId: row.user_id,
    role: identity.role,
    // Platform scopes (OPERATOR, INGEST) belong to API keys only.
    scopes: [],
  };
  return { principal, expiresAt: identity.expiresAt.getTime(), plan: planFromRow(row) };
}
