import type { MiddlewareFn } from 'type-graphql';
import { BadUserInputError } from '../errors';

/** PostgreSQL text cannot hold U+0000; refuse it up front instead of failing in the driver. */
export const rejectNulBytes: MiddlewareFn = ({ args }, next) => {
  const field = fieldWithNul(args, '');
  if (field) throw new BadUserInputError(`${field} must not contain the NUL character (U+0000)`, field);
  return next();
};

function fieldWithNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || value instanceof Date) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = fieldWithNul(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
