import { registerEnumType } from 'type-graphql';

export enum Role {
  VIEWER = 'VIEWER',
  ANALYST = 'ANALYST',
  ADMIN = 'ADMIN',
  OWNER = 'OWNER',
}

registerEnumType(Role, { name: 'Role', description: 'Tenant roles, weakest first.' });

const rank: Record<Role, number> = {
  [Role.VIEWER]: 0,
  [Role.ANALYST]: 1,
  [Role.ADMIN]: 2,
  [Role.OWNER]: 3,
};

/** True when `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}
