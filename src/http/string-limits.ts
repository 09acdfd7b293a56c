import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { rejectNulBytes } from '../common/reject-nul-bytes';
import { literalFailing } from '../common/string-literals';
import { LimitExceededError } from '../errors';
import { MAX_STRING_LENGTH, MAX_VARIABLE_DEPTH } from './armor';

/**
 * Checks the strings of an operation once, before anything runs: none longer than
 * `MAX_STRING_LENGTH` characters and variables nested at most `MAX_VARIABLE_DEPTH` deep
 * (LIMIT_EXCEEDED), then no NUL character (BAD_USER_INPUT). A resolver, or the database behind
 * it, never sees a megabyte of search text. Field-specific limits (e.g. a team search) are
 * stricter and checked by the inputs themselves.
 */
export function checkStrings(document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  checkVariables(variables ?? {});
  let literal = literalsChecked.get(document);
  if (literal === undefined) {
    literal = literalFailing(document, (value) => value.length > MAX_STRING_LENGTH);
    literalsChecked.set(document, literal);
  }
  if (literal !== null) throw tooLong(literal);
  rejectNulBytes(document, variables);
}

/** `checkStrings` for HTTP operations, once the operation is known. */
export const checkStringsOverHttp: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        checkStrings(document, request.variables);
      },
    };
  },
};

// Per parsed document (Apollo and the WebSocket path reuse them): literals are checked once.
const literalsChecked = new WeakMap<DocumentNode, string | null>();

function tooLong(name: string): LimitExceededError {
  return new LimitExceededError(`${name} is longer than ${MAX_STRING_LENGTH} characters`, MAX_STRING_LENGTH);
}

// Without recursion: a body of nested arrays must not overflow the stack before it is refused.
function checkVariables(variables: Record<string, unknown>): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: variables, path: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_LENGTH) throw tooLong(`$${path}`);
    } else if (value !== null && typeof value === 'object') {
      if (depth > MAX_VARIABLE_DEPTH) {
        throw new LimitExceededError(`$${path} is nested deeper than ${MAX_VARIABLE_DEPTH} levels`, MAX_VARIABLE_DEPTH);
      }
      for (const [key, inner] of Object.entries(value)) {
        pending.push({ value: inner, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
}
