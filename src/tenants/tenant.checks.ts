import { BadUserInputError, ForbiddenError, InvalidStateError } from '../errors';
import { Role, roleAtLeast } from './role';
import type { Scope } from './scope';

// Input rules of tenancy, shared by the API and the `npm run tenant` command line. Each error
// names the input field it is about (`extensions.field`).

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 128;
export const MAX_SLUG_LENGTH = 64;

/** An email address, trimmed and lower-cased (users are unique by it). */
export function checkEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) {
    throw new BadUserInputError(`${field} must be an email address of at most ${MAX_EMAIL_LENGTH} characters`, field);
  }
  return email;
}

/** A display name: trimmed, 1 to `max` characters. */
export function checkName(value: string, field = 'name', max = MAX_NAME_LENGTH): string {
  const name = value.trim();
  if (name.length === 0 || name.length > max) {
    throw new BadUserInputError(`${field} must have 1 to ${max} characters`, field);
  }
  return name;
}

/** A tenant slug: lower-case letters, digits and inner hyphens, at most 64 characters. */
export function checkSlug(value: string, field = 'slug'): string {
  if (value.length > MAX_SLUG_LENGTH || !SLUG.test(value)) {
    throw new BadUserInputError(
      `${field} must be 1 to ${MAX_SLUG_LENGTH} lower-case letters, digits or inner hyphens, e.g. "acme-sports"`,
      field,
    );
  }
  return value;
}

/** An expiry must lie in the future. */
export function checkExpiry(expiresAt: Date | null | undefined, now: Date, field = 'expiresAt'): Date | null {
  if (expiresAt === null || expiresAt === undefined) return null;
  if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) {
    throw new BadUserInputError(`${field} must be in the future`, field);
  }
  return expiresAt;
}

/** A key may carry only scopes its creator holds: no one grants more than they have. */
export function checkGrantableScopes(requested: readonly Scope[], held: readonly Scope[]): Scope[] {
  const scopes = [...new Set(requested)];
  const missing = scopes.filter((scope) => !held.includes(scope));
  if (missing.length) {
    throw new ForbiddenError(`Only a key holding ${missing.join(' and ')} may grant it (field scopes)`);
  }
  return scopes;
}

/**
 * A tenant keeps at least one OWNER: the only one can be neither removed nor demoted.
 * `newRole` null means the member is removed.
 */
export function checkOwnerRemains(currentRole: Role, newRole: Role | null, owners: number): void {
  if (currentRole !== Role.OWNER || newRole === Role.OWNER || owners > 1) return;
  throw new InvalidStateError(
    newRole === null
      ? 'The last OWNER of a tenant cannot be removed: make another member OWNER first'
      : 'The last OWNER of a tenant cannot be demoted: make another member OWNER first',
  );
}

/**
 * Whose credentials a member may act on: their own, and those of members of a lower role; an
 * OWNER any member's. An ADMIN may not revoke an OWNER's keys (nor another ADMIN's).
 */
export function checkMayActOnCredentialsOf(
  caller: { role: Role; userId: number },
  holder: { role: Role; userId: number },
): void {
  if (caller.userId === holder.userId || caller.role === Role.OWNER) return;
  if (!roleAtLeast(caller.role, holder.role) || caller.role === holder.role) {
    throw new ForbiddenError(`A member with the ${caller.role} role may not act on the keys of a ${holder.role}`);
  }
}
