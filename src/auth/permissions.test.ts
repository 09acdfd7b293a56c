import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, graphql, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Role } from '../tenants/role';
import { applyPermissions, listedRule } from './permissions';

// The real rules on the real schema plus a field nobody gave a rule: fallbackRule must refuse it.
const sdl = fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');
const schema = applyPermissions(buildSchema(`${sdl}\nextend type Query { secretField: String }`));
const member = {
  principal: {
    tenantId: 1,
    tenantSlug: 't',
    userId: 1,
    role: Role.OWNER,
    scopes: [],
    apiKeyId: 1,
    credential: 'key:1',
    expiresAt: null,
  },
  authFailure: null,
};

describe('permissions', () => {
  it('refuses a field without a rule, even to an OWNER', async () => {
    const result = await graphql({
      schema,
      source: '{ secretField }',
      rootValue: { secretField: 'leak' },
      contextValue: { ...member },
    });
    expect(result.data?.secretField).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a member read a ruled field and refuses the anonymous', async () => {
    const read = (contextValue: object) =>
      graphql({
        schema,
        source: '{ competitions { code } }',
        rootValue: { competitions: [{ code: 'a' }] },
        contextValue,
      });
    expect((await read({ ...member })).data).toEqual({ competitions: [{ code: 'a' }] });
    const anonymous = await read({ principal: null, authFailure: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lists a policy for every field of the published schema', () => {
    const published = buildSchema(sdl);
    const unlisted = Object.values(published.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.keys((type as { getFields(): object }).getFields()).map((field) => `${type.name}.${field}`),
      )
      .filter((name) => !listedRule(...(name.split('.') as [string, string])));
    expect(unlisted).toEqual([]);
  });
});
