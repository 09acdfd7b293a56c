import { expect } from 'vitest';
import { MAX_STRING_LENGTH, MAX_TOKENS, MAX_VARIABLE_DEPTH } from '../../src/http/armor';

/**
 * Generous on purpose: a shared 2-core machine running other work, with the attacks, the client
 * and the server in one process. Alone, a normal query beside the attacks takes well under 1 s;
 * an expensive attack (a 900,000-character search took 2.4 s in the database) stalled it 9 s.
 */
export const NORMAL_QUERY_BOUND_MS = 5000;

export const NORMAL_QUERY = '{ competitions { code } }';

export const repeat = (n: number, text: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => text(i)).join(' ');

/** `competitions { seasons { competition { seasons … } } }`, `levels` fields deep: every field exists. */
export function nested(levels: number): string {
  // Fields at levels 1, 3, 5… are competitions, at 2, 4, 6… seasons; the last one is their leaf.
  let selection = levels % 2 === 0 ? 'code' : 'label';
  for (let level = levels - 1; level >= 1; level--) {
    const field = level === 1 ? 'competitions' : level % 2 === 0 ? 'seasons' : 'competition';
    selection = `${field} { ${selection} }`;
  }
  return `{ ${selection} }`;
}

/** A value nested `levels` lists deep: `[[[…]]]`. */
function deepList(levels: number): unknown {
  let value: unknown = 'x';
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

export interface DocumentAttack {
  query: string;
  variables?: Record<string, unknown>;
  /** Every error of the answer has this code… */
  code: string;
  /** …and, for LIMIT_EXCEEDED, one of them carries this limit. */
  limit?: number;
}

/**
 * Operations a hostile client may send over HTTP or WebSocket (each fits in a 64 KiB WebSocket
 * message). Both paths answer each with the same codes; HTTP with 400, as the request is refused
 * before it runs.
 */
export const DOCUMENT_ATTACKS: Record<string, DocumentAttack> = {
  'a syntax error': { query: '{ competitions { code }', code: 'GRAPHQL_PARSE_FAILED' },
  'deep nesting (40 levels)': { query: nested(40), code: 'LIMIT_EXCEEDED', limit: 12 },
  '10,000 aliases': { query: `{ ${repeat(10_000, () => 'a:id')} }`, code: 'LIMIT_EXCEEDED', limit: MAX_TOKENS },
  '30 aliases, under the token limit': {
    query: `{ ${repeat(30, (i) => `a${i}: competitions { code }`)} }`,
    code: 'LIMIT_EXCEEDED',
    limit: 15,
  },
  '30 __typename aliases': {
    query: `{ ${repeat(30, (i) => `t${i}: __typename`)} }`,
    code: 'LIMIT_EXCEEDED',
    limit: 15,
  },
  '25 directives': {
    query: `{ competitions { ${repeat(25, () => 'code @include(if: true)')} } }`,
    code: 'LIMIT_EXCEEDED',
    limit: 20,
  },
  'a cost over the estimate': {
    query: `{ ${repeat(2, (i) => `m${i}: matches(first: 100) { edges { node { events { id minute type } odds { prices closing bookmaker } predictions { homeWin draw awayWin modelName } homeTeam { name } awayTeam { name } season { label } latestPrediction { homeWin } } } }`)} }`,
    code: 'LIMIT_EXCEEDED',
    limit: 20_000,
  },
  'circular fragments': {
    query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { competitions { code } ...A }',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'a 60,000-character string variable': {
    query: 'query Q($s: String) { teams(filter: { search: $s }) { totalCount } }',
    variables: { s: 'a'.repeat(60_000) },
    code: 'LIMIT_EXCEEDED',
    limit: MAX_STRING_LENGTH,
  },
  'a 60,000-character string literal': {
    query: `{ teams(filter: { search: "${'a'.repeat(60_000)}" }) { totalCount } }`,
    code: 'LIMIT_EXCEEDED',
    limit: MAX_STRING_LENGTH,
  },
  'a long string inside an input object': {
    query: 'query Q($f: MatchFilter) { matches(filter: $f) { totalCount } }',
    variables: { f: { team: 'TWF0Y2g6MQ', competition: 'b'.repeat(MAX_STRING_LENGTH + 1) } },
    code: 'LIMIT_EXCEEDED',
    limit: MAX_STRING_LENGTH,
  },
  // Checked whether the operation declares the variable or not.
  'variables nested 1,000 lists deep': {
    query: '{ __typename }',
    variables: { x: deepList(1000) },
    code: 'LIMIT_EXCEEDED',
    limit: MAX_VARIABLE_DEPTH,
  },
  'a wrong variable type': {
    query: 'query Q($n: Int) { matches(first: $n) { totalCount } }',
    variables: { n: 'ten' },
    code: 'BAD_USER_INPUT',
  },
  'an ambiguous operation': {
    query: 'query A { __typename } query B { __typename }',
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
};

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

/** Checks the errors a refused attack was answered with. */
export function expectRefused(errors: ErrorLike[] | undefined, attack: DocumentAttack): void {
  expect(errors?.length).toBeGreaterThan(0);
  expect(errors!.map((e) => e.extensions?.code)).toEqual(errors!.map(() => attack.code));
  if (attack.limit !== undefined) expect(errors!.map((e) => e.extensions?.limit)).toContain(attack.limit);
  for (const error of errors!) {
    expect(error.message).not.toMatch(/^Syntax Error: .*limit/i);
    expect(JSON.stringify(error)).not.toMatch(/node_modules|\bat \w+ \(|stacktrace/);
  }
}

/**
 * Runs `attack` while sending the normal query one after the other through `normal`; returns
 * each normal query's latency (at least one, even when the attack is quick).
 */
export async function latenciesBeside(attack: Promise<unknown>, normal: () => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  const attacking = attack.finally(() => {
    done = true;
  });
  do {
    const started = performance.now();
    await normal();
    latencies.push(performance.now() - started);
  } while (!done);
  await attacking;
  return latencies;
}
