import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createArmor } from '../http/armor';
import { operationCost, rememberOperationCost } from './operation-cost';

const schema = buildSchema(`
  type Team { name: String, code: String }
  type Query { teams(first: Int): [Team], team: Team, version: String }
`);

function validated(query: string) {
  const document = parse(query);
  expect(validate(schema, document, createArmor().validationRules)).toEqual([]);
  return document;
}

describe('operationCost', () => {
  it("is the armor's estimate of each operation of a validated document, in whole points", () => {
    const document = validated(
      'query A { version } query B { team { name code } } query C { teams(first: 10) { name } }',
    );
    expect(operationCost(getOperationAST(document, 'A')!)).toBe(1);
    // An object costs 2, each field under it 1.5 times its own cost: 2 + 1.5 + 1.5.
    expect(operationCost(getOperationAST(document, 'B')!)).toBe(5);
    // A literal `first` multiplies the list's cost: (2 + 1.5) × 10.
    expect(operationCost(getOperationAST(document, 'C')!)).toBe(35);
  });

  it('rounds half points up', () => {
    const document = parse('{ team { name } }');
    rememberOperationCost({ getDocument: () => document } as never, { n: 3.5 });
    expect(operationCost(getOperationAST(document)!)).toBe(4);
  });

  it('is 1 for an operation no validation has estimated', () => {
    expect(operationCost(getOperationAST(parse('{ teams { name } }'))!)).toBe(1);
  });
});
