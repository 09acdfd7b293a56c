import { describe, expect, it } from 'vitest';
import { Role } from './role';
import { Scope } from './scope';
import {
  checkEmail,
  checkExpiry,
  checkGrantableScopes,
  checkMayActOnCredentialsOf,
  checkName,
  checkOwnerRemains,
  checkSlug,
} from './tenant.checks';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { code, field } = (error as { extensions: { code: string; field?: string } }).extensions;
    return field ? `${code}:${field}` : code;
  }
  return 'ok';
};

describe('tenancy input checks', () => {
  it('normalises emails and refuses what is not one, naming the field', () => {
    expect(checkEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(codeOf(() => checkEmail('not-an-email'))).toBe('BAD_USER_INPUT:email');
    expect(codeOf(() => checkEmail(`${'a'.repeat(250)}@b.cd`, 'ownerEmail'))).toBe('BAD_USER_INPUT:ownerEmail');
  });

  it('accepts slugs of lower-case letters, digits and inner hyphens only', () => {
    expect(checkSlug('acme-sports-2')).toBe('acme-sports-2');
    for (const bad of ['', 'Acme', '-acme', 'acme-', 'ac me', 'a'.repeat(65), 'acmé']) {
      expect(
        codeOf(() => checkSlug(bad)),
        bad,
      ).toBe('BAD_USER_INPUT:slug');
    }
  });

  it('trims names and bounds their length', () => {
    expect(checkName('  Ada ')).toBe('Ada');
    expect(codeOf(() => checkName('   '))).toBe('BAD_USER_INPUT:name');
    expect(codeOf(() => checkName('x'.repeat(129)))).toBe('BAD_USER_INPUT:name');
  });

  it('wants expiries in the future', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(checkExpiry(undefined, now)).toBeNull();
    expect(codeOf(() => checkExpiry(now, now))).toBe('BAD_USER_INPUT:expiresAt');
    expect(checkExpiry(new Date('2030-01-02T00:00:00Z'), now)).toEqual(new Date('2030-01-02T00:00:00Z'));
  });

  it('lets a key grant only the scopes it holds', () => {
    expect(checkGrantableScopes([Scope.INGEST, Scope.INGEST], [Scope.INGEST])).toEqual([Scope.INGEST]);
    expect(checkGrantableScopes([], [])).toEqual([]);
    expect(codeOf(() => checkGrantableScopes([Scope.OPERATOR], [Scope.INGEST]))).toBe('FORBIDDEN');
  });

  it('keeps the last OWNER', () => {
    expect(codeOf(() => checkOwnerRemains(Role.OWNER, null, 1))).toBe('INVALID_STATE');
    expect(codeOf(() => checkOwnerRemains(Role.OWNER, Role.ADMIN, 1))).toBe('INVALID_STATE');
    expect(codeOf(() => checkOwnerRemains(Role.OWNER, Role.OWNER, 1))).toBe('ok');
    expect(codeOf(() => checkOwnerRemains(Role.OWNER, null, 2))).toBe('ok');
    expect(codeOf(() => checkOwnerRemains(Role.ADMIN, null, 1))).toBe('ok');
  });
});

describe('whose keys a member may revoke', () => {
  const roles = [Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.OWNER];
  it("lets a member act on their own keys and lower roles' keys; an OWNER on anyone's", () => {
    const table = roles.map((caller) =>
      roles.map((holder) =>
        codeOf(() => checkMayActOnCredentialsOf({ role: caller, userId: 1 }, { role: holder, userId: 2 })),
      ),
    );
    //            holder: VIEWER       ANALYST      ADMIN        OWNER
    expect(table).toEqual([
      ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'], // VIEWER
      ['ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'], // ANALYST
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN'], // ADMIN
      ['ok', 'ok', 'ok', 'ok'], // OWNER
    ]);
    for (const role of roles)
      expect(codeOf(() => checkMayActOnCredentialsOf({ role, userId: 1 }, { role, userId: 1 }))).toBe('ok');
  });
});
