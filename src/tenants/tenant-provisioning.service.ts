import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { ConflictError, NotFoundError } from '../errors';
import { issueApiKey } from './api-key.service';
import type { ApiKey } from './api-key.entity';
import { audit, auditIn } from './audit';
import { Membership } from './membership.entity';
import { Role } from './role';
import type { Scope } from './scope';
import { checkEmail, checkExpiry, checkName, checkSlug } from './tenant.checks';
import { Tenant } from './tenant.entity';
import { User } from './user.entity';

// Operator work: new tenants and keys made outside a tenant's own members (the createTenant
// mutation and `npm run tenant`). Input is checked here, so both paths refuse the same things.

export interface NewTenant {
  slug: string;
  name: string;
  ownerEmail: string;
  ownerName: string;
}

export interface ProvisionedTenant {
  tenant: Tenant;
  owner: Membership;
  apiKey: ApiKey;
  /** The owner's plain key: shown once, never stored. */
  secret: string;
}

/** Name of the key a new tenant's first OWNER gets. */
export const FIRST_OWNER_KEY_NAME = 'owner (first key)';

/**
 * Creates a tenant, its first OWNER (the user with that email, created if new) and the owner's
 * first key, audited in the new tenant (and in the operator's, when `actor` is one).
 */
export async function createTenantWithOwner(
  em: EntityManager,
  input: NewTenant,
  actor: Principal | null,
): Promise<ProvisionedTenant> {
  const slug = checkSlug(input.slug);
  const name = checkName(input.name);
  const email = checkEmail(input.ownerEmail, 'ownerEmail');
  const ownerName = checkName(input.ownerName, 'ownerName');
  return inTransaction(
    em,
    async (tx) => {
      if ((await tx.count(Tenant, { slug })) > 0)
        throw new ConflictError(`A tenant with slug "${slug}" exists already`);
      const tenant = tx.create(Tenant, { slug, name });
      const user = (await tx.findOne(User, { email })) ?? tx.create(User, { email, name: ownerName });
      const owner = tx.create(Membership, { tenant, user, name: ownerName, role: Role.OWNER });
      const { entity: apiKey, plainKey } = issueApiKey(tx, owner, FIRST_OWNER_KEY_NAME);
      await tx.flush();
      const target = { type: 'Tenant', id: tenant.id };
      auditIn(tx, tenant.id, null, 'tenant.create', target, { slug, ownerMemberId: owner.id });
      if (actor) audit(tx, actor, 'tenant.create', target, { slug });
      return { tenant, owner, apiKey, secret: plainKey };
    },
    `A tenant with slug "${slug}" exists already`,
  );
}

export interface NewKeyForTenant {
  tenantSlug: string;
  name: string;
  scopes: readonly Scope[];
  expiresAt?: Date | null;
  /** The key acts as this existing member. */
  memberEmail?: string;
  /**
   * The key acts as a service member of this role, made for the key (user
   * `<name>@<tenant>.keys.invalid`). Without it or `memberEmail`: the tenant's first OWNER.
   */
  serviceRole?: Role;
}

export interface IssuedKey {
  tenant: Tenant;
  member: Membership;
  apiKey: ApiKey;
  secret: string;
}

/** A key for a member of a tenant, made by an operator (the command line). */
export async function issueKeyForTenant(em: EntityManager, input: NewKeyForTenant): Promise<IssuedKey> {
  const name = checkName(input.name);
  const expiresAt = checkExpiry(input.expiresAt, new Date());
  const memberEmail = input.memberEmail === undefined ? undefined : checkEmail(input.memberEmail, 'member');
  return inTransaction(em, async (tx) => {
    const tenant = await tx.findOne(Tenant, { slug: input.tenantSlug });
    if (!tenant) throw new NotFoundError('Tenant', input.tenantSlug);
    let member: Membership | null;
    if (memberEmail !== undefined) {
      member = await tx.findOne(Membership, { tenant, user: { email: memberEmail } });
      if (!member) throw new NotFoundError('Member', memberEmail);
    } else if (input.serviceRole) {
      member = await serviceMember(tx, tenant, name, input.serviceRole);
    } else {
      member = await tx.findOne(Membership, { tenant, role: Role.OWNER }, { orderBy: { id: 'asc' } });
      if (!member) throw new NotFoundError('Member', `OWNER of ${tenant.slug}`);
    }
    const { entity: apiKey, plainKey } = issueApiKey(tx, member, name, undefined, { scopes: input.scopes, expiresAt });
    await tx.flush();
    auditIn(
      tx,
      tenant.id,
      null,
      'api_key.create',
      { type: 'ApiKey', id: apiKey.id },
      {
        name,
        prefix: apiKey.prefix,
        scopes: apiKey.scopes,
        memberId: member.id,
      },
    );
    return { tenant, member, apiKey, secret: plainKey };
  });
}

async function serviceMember(em: EntityManager, tenant: Tenant, keyName: string, role: Role): Promise<Membership> {
  const local =
    keyName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'key';
  const email = `${local}@${tenant.slug}.keys.invalid`;
  const user = (await em.findOne(User, { email })) ?? em.create(User, { email, name: `${keyName} (service)` });
  const existing = user.id ? await em.findOne(Membership, { tenant, user }) : null;
  if (existing && existing.role !== role) {
    throw new ConflictError(`The service member ${email} exists with role ${existing.role}, not ${role}`);
  }
  return existing ?? em.create(Membership, { tenant, user, name: `${keyName} (service)`, role });
}

/** Runs `work` in a transaction (joining the caller's, if any); unique violations are conflicts. */
async function inTransaction<T>(
  em: EntityManager,
  work: (tx: EntityManager) => Promise<T>,
  conflictMessage = 'This change conflicts with existing data',
): Promise<T> {
  try {
    return await em.fork().transactional((tx) => work(tx as EntityManager));
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(conflictMessage);
    throw error;
  }
}
