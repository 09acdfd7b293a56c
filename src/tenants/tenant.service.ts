import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { apiKeyCredential, memberCredential, type Principal } from '../auth/principal';
import { announceCredentialsRevoked, type PrincipalCache } from '../auth/principal-cache';
import { toConnection, type Connection } from '../common/connection';
import { selectRows } from '../db/select';
import { inTenantScope, selectTenantRows } from '../db/tenant-scope';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  UnauthenticatedError,
} from '../errors';
import type { AppPubSub } from '../pubsub/pubsub';
import { issueApiKey, revokeApiKey } from './api-key.service';
import { ApiKey } from './api-key.entity';
import { audit } from './audit';
import { Credential } from './credential';
import { Membership } from './membership.entity';
import { Role } from './role';
import type { Scope } from './scope';
import {
  checkEmail,
  checkExpiry,
  checkGrantableScopes,
  checkMayActOnCredentialsOf,
  checkName,
  checkOwnerRemains,
} from './tenant.checks';
import { createTenantWithOwner, type NewTenant } from './tenant-provisioning.service';
import type { ApiKeyType, AuditEntry, Member, TenantType, UserType, Viewer } from './tenant.types';
import {
  API_KEY_COLUMNS,
  apiKeyFromRow,
  auditEntryFromRow,
  MEMBER_COLUMNS,
  memberFromRow,
  TENANT_COLUMNS,
  tenantFromRow,
  userFromRow,
  type ApiKeyRow,
  type AuditRow,
  type MemberRow,
  type TenantRow,
} from './tenant.views';
import { User } from './user.entity';

export interface TenantServiceDeps {
  em: EntityManager;
  principal: Principal | null;
  /** This process's cache of principals: a revoked key or changed member is forgotten at once. */
  principals: PrincipalCache | null;
  pubSub: AppPubSub;
}

export interface NewMember {
  email: string;
  name: string;
  role: Role;
}

export interface NewApiKey {
  name: string;
  expiresAt?: Date | null;
  scopes?: readonly Scope[];
}

export interface AuditFilter {
  action?: string;
  from?: Date;
  to?: Date;
}

export interface CreatedApiKey {
  apiKey: ApiKeyType;
  secret: string;
}

export interface CreatedTenant {
  tenant: TenantType;
  owner: Member;
  secret: string;
}

/**
 * The caller's tenant: its members, keys and audit log. Every statement on tenant-owned rows
 * carries the caller's tenant id as a condition, so an id of another tenant's row finds nothing
 * (and answers NOT_FOUND, as an id that does not exist would), whatever the permission layer did.
 */
export class TenantService {
  constructor(private readonly deps: TenantServiceDeps) {}

  private get principal(): Principal {
    if (!this.deps.principal) throw new UnauthenticatedError();
    return this.deps.principal;
  }

  async viewer(): Promise<Viewer> {
    const { tenantId, userId, scopes, role, apiKeyId, expiresAt } = this.principal;
    const [row] = await selectTenantRows<TenantRow & MemberRow>(
      this.deps.em,
      this.principal.tenantId,
      `select ${TENANT_COLUMNS}, ${MEMBER_COLUMNS}
         from membership m join app_user u on u.id = m.user_id join tenant t on t.id = m.tenant_id
        where m.tenant_id = ? and m.user_id = ?`,
      [tenantId, userId],
    );
    // The membership went while a cached principal still named it.
    if (!row) throw new UnauthenticatedError('The API key is invalid, expired or revoked');
    const member = memberFromRow(row);
    return {
      user: member.user,
      tenant: tenantFromRow(row),
      member,
      // A JWT's role is its claim's, which may differ from the stored membership's.
      role,
      scopes: [...scopes],
      credential: apiKeyId === null ? Credential.JWT : Credential.API_KEY,
      credentialExpiresAt: expiresAt,
    };
  }

  async tenantById(id: number): Promise<TenantType | null> {
    const [row] = await selectTenantRows<TenantRow>(
      this.deps.em,
      this.principal.tenantId,
      `select ${TENANT_COLUMNS} from tenant t where t.id = ? and t.id = ?`,
      [id, this.principal.tenantId],
    );
    return row ? tenantFromRow(row) : null;
  }

  async memberById(id: number): Promise<Member | null> {
    const [row] = await selectTenantRows<MemberRow>(
      this.deps.em,
      this.principal.tenantId,
      `select ${MEMBER_COLUMNS} from membership m join app_user u on u.id = m.user_id
        where m.id = ? and m.tenant_id = ?`,
      [id, this.principal.tenantId],
    );
    return row ? memberFromRow(row) : null;
  }

  /** A user as the caller's tenant knows them; a User's id is its membership's (tenant.views.ts). */
  async userById(id: number): Promise<UserType | null> {
    const [row] = await selectTenantRows<MemberRow>(
      this.deps.em,
      this.principal.tenantId,
      `select ${MEMBER_COLUMNS} from membership m join app_user u on u.id = m.user_id
        where m.id = ? and m.tenant_id = ?`,
      [id, this.principal.tenantId],
    );
    return row ? userFromRow(row) : null;
  }

  async apiKeyById(id: number): Promise<ApiKeyType | null> {
    const [row] = await selectTenantRows<ApiKeyRow>(
      this.deps.em,
      this.principal.tenantId,
      `select ${API_KEY_COLUMNS}
         from api_key k join membership m on m.id = k.membership_id join app_user u on u.id = m.user_id
        where k.id = ? and m.tenant_id = ?`,
      [id, this.principal.tenantId],
    );
    return row ? apiKeyFromRow(row) : null;
  }

  /** Members by joining order. `tenantId`: the tenant whose field is resolved; it must be the caller's. */
  async members(tenantId: number, limit: number, after: unknown[] | null): Promise<Connection<Member>> {
    const own = this.ownTenantOrNotFound(tenantId);
    const [rows, [count]] = await Promise.all([
      selectTenantRows<MemberRow>(
        this.deps.em,
        this.principal.tenantId,
        `select ${MEMBER_COLUMNS} from membership m join app_user u on u.id = m.user_id
          where m.tenant_id = ? and m.id > ? order by m.id limit ?`,
        [own, idCursor(after), limit + 1],
      ),
      selectTenantRows<{ n: number }>(
        this.deps.em,
        this.principal.tenantId,
        'select count(*)::int as n from membership where tenant_id = ?',
        [own],
      ),
    ]);
    return toConnection(rows.map(memberFromRow), limit, count!.n, (m) => [m.id]);
  }

  /** Every key of the tenant's members, revoked ones included, oldest first. */
  async apiKeys(tenantId: number, limit: number, after: unknown[] | null): Promise<Connection<ApiKeyType>> {
    const own = this.ownTenantOrNotFound(tenantId);
    const [rows, [count]] = await Promise.all([
      selectTenantRows<ApiKeyRow>(
        this.deps.em,
        this.principal.tenantId,
        `select ${API_KEY_COLUMNS}
           from api_key k join membership m on m.id = k.membership_id join app_user u on u.id = m.user_id
          where m.tenant_id = ? and k.id > ? order by k.id limit ?`,
        [own, idCursor(after), limit + 1],
      ),
      selectTenantRows<{ n: number }>(
        this.deps.em,
        this.principal.tenantId,
        'select count(*)::int as n from api_key k join membership m on m.id = k.membership_id where m.tenant_id = ?',
        [own],
      ),
    ]);
    return toConnection(rows.map(apiKeyFromRow), limit, count!.n, (k) => [k.id]);
  }

  /** The tenant's audit rows, newest first; the actor shows while they are a member. */
  async auditLog(
    tenantId: number,
    filter: AuditFilter,
    limit: number,
    after: unknown[] | null,
  ): Promise<Connection<AuditEntry>> {
    const own = this.ownTenantOrNotFound(tenantId);
    const conditions = ['a.tenant_id = ?'];
    const params: unknown[] = [own];
    if (filter.action !== undefined) {
      conditions.push('a.action = ?');
      params.push(filter.action);
    }
    if (filter.from) {
      conditions.push('a.created_at >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      conditions.push('a.created_at < ?');
      params.push(filter.to);
    }
    const where = conditions.join(' and ');
    const page = after ? auditCursor(after) : null;
    const [rows, [count]] = await Promise.all([
      selectTenantRows<AuditRow & { cursor_at: string }>(
        this.deps.em,
        this.principal.tenantId,
        `select a.id::text as id, a.action, a.entity_type, a.entity_id, a.created_at,
                a.created_at::text as cursor_at, m.id as member_id, u.email, m.name as user_name
           from audit_log a
           left join membership m on m.user_id = a.user_id and m.tenant_id = a.tenant_id
           left join app_user u on u.id = m.user_id
          where ${where}${page ? ' and (a.created_at, a.id) < (?::timestamptz, ?::bigint)' : ''}
          order by a.created_at desc, a.id desc limit ?`,
        [...params, ...(page ?? []), limit + 1],
      ),
      selectTenantRows<{ n: number }>(
        this.deps.em,
        this.principal.tenantId,
        `select count(*)::int as n from audit_log a where ${where}`,
        params,
      ),
    ]);
    const connection = toConnection(rows, limit, count!.n, (row) => [row.cursor_at, row.id]);
    return { ...connection, edges: connection.edges.map((e) => ({ ...e, node: auditEntryFromRow(e.node) })) };
  }

  /**
   * Adds a user (created if new) to the caller's tenant under the name the caller gives. The
   * answer for an address another tenant knows is built from what the caller sent and the new
   * membership only, so it tells nothing of that tenant.
   */
  async inviteMember(input: NewMember): Promise<Member> {
    const email = checkEmail(input.email);
    const name = checkName(input.name);
    const { tenantId } = this.principal;
    const memberId = await this.transaction(async (em) => {
      const user = (await em.findOne(User, { email })) ?? em.create(User, { email, name });
      if (user.id && (await em.count(Membership, { tenant: tenantId, user }))) {
        throw new ConflictError(`${email} is already a member of this tenant`);
      }
      const member = em.create(Membership, { tenant: tenantId, user, name, role: input.role });
      await em.flush();
      audit(em, this.principal, 'member.invite', { type: 'Member', id: member.id }, { role: input.role });
      return member.id;
    }, `${email} is already a member of this tenant`);
    return (await this.memberById(memberId))!;
  }

  /** Removes a member of the caller's tenant and revokes their keys, on every instance. */
  async removeMember(id: number): Promise<{ removedMemberId: number; revokedApiKeys: number }> {
    const revoked = await this.transaction(async (em) => {
      const { member, owners } = await this.lockMember(em, id);
      checkOwnerRemains(member.role, null, owners);
      const keys = await em.find(ApiKey, { membership: member, revokedAt: null }, { fields: ['id'] });
      for (const key of keys) await revokeApiKey(em, key.id);
      // The keys go with the membership (on delete cascade); revoking first keeps the rule in one place.
      await em.nativeDelete(Membership, { id: member.id, tenant: this.principal.tenantId });
      audit(
        em,
        this.principal,
        'member.remove',
        { type: 'Member', id },
        {
          role: member.role,
          revokedApiKeys: keys.length,
        },
      );
      return { keyIds: keys.map((key) => key.id), userId: member.user.id };
    });
    // The member's JWT sessions end too.
    this.forgetKeys(revoked.keyIds, [memberCredential(this.principal.tenantId, revoked.userId)]);
    return { removedMemberId: id, revokedApiKeys: revoked.keyIds.length };
  }

  async changeMemberRole(id: number, role: Role): Promise<Member> {
    const keyIds = await this.transaction(async (em) => {
      const { member, owners } = await this.lockMember(em, id);
      if (member.role === role) return [];
      checkOwnerRemains(member.role, role, owners);
      audit(em, this.principal, 'member.role.change', { type: 'Member', id }, { from: member.role, to: role });
      member.role = role;
      const keys = await em.find(ApiKey, { membership: member, revokedAt: null }, { fields: ['id'] });
      return keys.map((key) => key.id);
    });
    // Cached principals carry the old role: every instance reads the member again.
    this.forgetKeys(keyIds);
    return (await this.memberById(id))!;
  }

  /** A key for the caller's own membership, with at most the scopes the caller's key holds. */
  async createApiKey(input: NewApiKey): Promise<CreatedApiKey> {
    const name = checkName(input.name);
    const expiresAt = checkExpiry(input.expiresAt, new Date());
    const { tenantId, userId, scopes: held } = this.principal;
    const scopes = checkGrantableScopes(input.scopes ?? [], held);
    const created = await this.transaction(async (em) => {
      const member = await em.findOne(Membership, { tenant: tenantId, user: userId });
      if (!member) throw new UnauthenticatedError('The API key is invalid, expired or revoked');
      const { entity, plainKey } = issueApiKey(em, member, name, undefined, { scopes, expiresAt });
      await em.flush();
      audit(
        em,
        this.principal,
        'api_key.create',
        { type: 'ApiKey', id: entity.id },
        {
          name,
          prefix: entity.prefix,
          scopes,
          expiresAt,
        },
      );
      return { id: entity.id, secret: plainKey };
    });
    return { apiKey: (await this.apiKeyById(created.id))!, secret: created.secret };
  }

  /** Revokes a key of the caller's tenant (their own, or a lower role's); every instance forgets it at once. */
  async revokeApiKey(id: number): Promise<ApiKeyType> {
    await this.transaction(async (em) => {
      const [key] = await selectRows<{ id: number; revoked_at: string | null; role: Role; user_id: number }>(
        em,
        `select k.id, k.revoked_at, m.role, m.user_id from api_key k join membership m on m.id = k.membership_id
          where k.id = ? and m.tenant_id = ? for update of k`,
        [id, this.principal.tenantId],
      );
      if (!key) throw new NotFoundError('ApiKey', id);
      checkMayActOnCredentialsOf(this.principal, { role: key.role, userId: key.user_id });
      if (key.revoked_at !== null || !(await revokeApiKey(em, id))) {
        throw new InvalidStateError('This API key is revoked already');
      }
      audit(em, this.principal, 'api_key.revoke', { type: 'ApiKey', id });
    });
    this.forgetKeys([id]);
    return (await this.apiKeyById(id))!;
  }

  /** Operator work: a new tenant with its first OWNER and their key (the secret, once). */
  async createTenant(input: NewTenant): Promise<CreatedTenant> {
    const made = await createTenantWithOwner(this.deps.em, input, this.principal);
    const [row] = await selectRows<TenantRow & MemberRow>(
      this.deps.em,
      `select ${TENANT_COLUMNS}, ${MEMBER_COLUMNS}
         from membership m join app_user u on u.id = m.user_id join tenant t on t.id = m.tenant_id
        where m.id = ? and m.tenant_id = ?`,
      [made.owner.id, made.tenant.id],
    );
    return { tenant: tenantFromRow(row!), owner: memberFromRow(row!), secret: made.secret };
  }

  // The member, locked, and the number of OWNERs, whose rows are locked too: two OWNERs
  // demoting each other at once cannot both pass the last-owner check, and a caller demoted
  // since their request was authenticated is refused here.
  private async lockMember(em: EntityManager, id: number): Promise<{ member: Membership; owners: number }> {
    const { tenantId, userId } = this.principal;
    const owners = await selectRows<{ user_id: number }>(
      em,
      `select user_id from membership where tenant_id = ? and role = ? order by id for update`,
      [tenantId, Role.OWNER],
    );
    if (!owners.some((owner) => owner.user_id === userId)) {
      throw new ForbiddenError('This operation needs the OWNER role; yours changed meanwhile');
    }
    const member = await em.findOne(Membership, { id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!member) throw new NotFoundError('Member', id);
    return { member, owners: owners.length };
  }

  private forgetKeys(apiKeyIds: number[], alsoCredentials: string[] = []): void {
    const credentials = [...apiKeyIds.map(apiKeyCredential), ...alsoCredentials];
    announceCredentialsRevoked(this.deps.principals, this.deps.pubSub, credentials);
  }

  private ownTenantOrNotFound(tenantId: number): number {
    if (tenantId !== this.principal.tenantId) throw new NotFoundError('Tenant', tenantId);
    return tenantId;
  }

  private async transaction<T>(work: (em: EntityManager) => Promise<T>, conflictMessage?: string): Promise<T> {
    try {
      return await inTenantScope(this.deps.em, this.principal.tenantId, work);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(conflictMessage ?? 'This change conflicts with existing data');
      }
      throw error;
    }
  }
}

function idCursor(after: unknown[] | null): number {
  if (!after) return 0;
  const [id] = after;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return id;
}

// PostgreSQL's text of a timestamptz (exact to the microsecond, unlike a Date) and the row id.
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function auditCursor(after: unknown[]): [string, string] {
  const [at, id] = after;
  if (typeof at !== 'string' || !TIMESTAMP_TEXT.test(at) || typeof id !== 'string' || !/^\d{1,18}$/.test(id)) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return [at, id];
}
