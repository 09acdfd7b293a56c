import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleOperations } from './example-operations';

describe("GraphiQL's example operations", () => {
  it('are valid against the schema, the liveFeed subscription among them', () => {
    const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
    const document = parse(exampleOperations);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    const names = document.definitions.map((d) => ('name' in d ? d.name?.value : undefined));
    expect(names).toContain('Matchday');
  });
});
