import type { DocumentNode } from 'graphql';
import { BadUserInputError } from '../errors';
import { literalFailing } from './string-literals';

/**
 * PostgreSQL text cannot hold U+0000: refuse it once per operation, in the document's string
 * literals and in the variables, instead of failing in the driver (or checking every field).
 */
export function rejectNulBytes(document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  const variable = pathWithNul(variables ?? {}, '');
  if (variable) throw nulError(`$${variable}`);
  let argument = literalsChecked.get(document);
  if (argument === undefined) {
    argument = literalFailing(document, (value) => value.includes('\u0000'));
    literalsChecked.set(document, argument);
  }
  if (argument) throw nulError(argument);
}

// Per parsed document (Apollo and the WebSocket path reuse them): literals are checked once.
const literalsChecked = new WeakMap<DocumentNode, string | null>();

function nulError(name: string): BadUserInputError {
  return new BadUserInputError(`${name} must not contain the NUL character (U+0000)`, name);
}

/** The path (`a.b`) of the first string in `value` that holds U+0000, or null. */
export function pathWithNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || value instanceof Date) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = pathWithNul(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
