import { graphql } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { and, rule, shield } from 'graphql-shield';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import './shield-node-compat';

describe('graphql-shield on current Node', () => {
  it('evaluates logic rules (they call util.isUndefined, removed in Node 23)', async () => {
    const allowed = rule()(() => true);
    const schema = buildSchema('type Query { greeting: String }');
    const guarded = applyMiddleware(schema, shield({ Query: { greeting: and(allowed, allowed) } }));
    const result = await graphql({ schema: guarded, source: '{ greeting }', rootValue: { greeting: 'hello' } });
    expect(result).toEqual({ data: { greeting: 'hello' } });
  });
});
