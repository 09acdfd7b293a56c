import type { EntityManager } from '@mikro-orm/postgresql';
import { apiKeyCredential, memberCredential, type Principal } from '../auth/principal';
import { selectPrepared } from '../db/prepared';
import type { Role } from './role';

interface HeldRow {
  api_key_id: number | null;
  tenant_id: number | null;
  user_id: number | null;
  role: Role;
}

/**
 * Reads again, in one statement however many principals, whether their credentials still hold:
 * an API key still present, not revoked, not expired, and its member's role the principal's; a
 * JWT's member still a member (the role is the token's, so it is not compared). Returns a test
 * of a principal; a credential not among those asked about does not hold.
 */
export async function credentialsStillHeld(
  em: EntityManager,
  principals: readonly Principal[],
): Promise<(principal: Principal) => boolean> {
  const keyIds = new Set<number>();
  const members = new Map<string, { tenantId: number; userId: number }>();
  for (const { apiKeyId, credential, tenantId, userId } of principals) {
    if (apiKeyId !== null) keyIds.add(apiKeyId);
    else members.set(credential, { tenantId, userId });
  }
  // Prepared: arrays travel as parameters (MikroORM's `execute` would spread them into lists).
  const rows = await selectPrepared<HeldRow>(
    em,
    `select k.id as api_key_id, null::integer as tenant_id, null::integer as user_id, m.role
       from api_key k join membership m on m.id = k.membership_id
      where k.id = any($1::bigint[]) and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
     union all
     select null, m.tenant_id, m.user_id, m.role
       from unnest($2::bigint[], $3::bigint[]) as held(tenant_id, user_id)
       join membership m on m.tenant_id = held.tenant_id and m.user_id = held.user_id`,
    [[...keyIds], [...members.values()].map((m) => m.tenantId), [...members.values()].map((m) => m.userId)],
  );
  const roles = new Map<string, Role>();
  for (const row of rows) {
    const credential =
      row.api_key_id !== null ? apiKeyCredential(row.api_key_id) : memberCredential(row.tenant_id!, row.user_id!);
    roles.set(credential, row.role);
  }
  return (principal) => {
    const role = roles.get(principal.credential);
    return role !== undefined && (principal.apiKeyId === null || role === principal.role);
  };
}
