import { getNamedType, isCompositeType, isObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PER_TENANT_FIELDS,
  PRIVATE_QUERY_FIELDS,
  PRIVATE_TYPES,
  SHARED_QUERY_FIELDS,
  SHARED_TYPES,
} from '../src/auth/shared-data';
import { createBareSchema } from '../src/schema';

// The response cache and shared answers serve what src/auth/shared-data.ts calls shared across
// tenants. These checks make every type and field of the schema say which it is.

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await createBareSchema();
});

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

const objectTypes = () =>
  Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__') && !ROOTS.has(type.name));

describe('every type and field is classified as shared or tenant-private', () => {
  it('puts every object type in exactly one of the shared and private lists', () => {
    const names = objectTypes().map((type) => type.name);
    expect(names.filter((name) => !SHARED_TYPES.has(name) && !PRIVATE_TYPES.has(name))).toEqual([]);
    expect(names.filter((name) => SHARED_TYPES.has(name) && PRIVATE_TYPES.has(name))).toEqual([]);
    // No stale names: each listed type exists.
    expect([...SHARED_TYPES, ...PRIVATE_TYPES].filter((name) => !names.includes(name))).toEqual([]);
  });

  it('puts every query field in exactly one of the shared and private lists', () => {
    const fields = Object.keys(schema.getQueryType()!.getFields());
    expect(fields.filter((f) => SHARED_QUERY_FIELDS.has(f) === PRIVATE_QUERY_FIELDS.has(f))).toEqual([]);
    expect([...SHARED_QUERY_FIELDS, ...PRIVATE_QUERY_FIELDS].filter((f) => !fields.includes(f))).toEqual([]);
  });

  it('lets no field of a shared type return a private one', () => {
    const leaks = objectTypes()
      .filter((type) => SHARED_TYPES.has(type.name))
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => {
            const returned = getNamedType(field.type);
            if (!isCompositeType(returned)) return false;
            return schema.getPossibleTypes(returned as never).some((t) => !SHARED_TYPES.has(t.name));
          })
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(leaks).toEqual([]);
  });

  it('names only existing fields of shared types as depending on the tenant', () => {
    for (const path of PER_TENANT_FIELDS) {
      const [type, field] = path.split('.') as [string, string];
      expect(SHARED_TYPES.has(type), path).toBe(true);
      const definition = schema.getType(type);
      expect(isObjectType(definition) && definition.getFields()[field], path).toBeTruthy();
    }
  });
});
