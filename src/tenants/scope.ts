import { registerEnumType } from 'type-graphql';

/**
 * Platform permissions an API key may carry on top of its member's tenant role. They are not
 * tenant roles: they let a key write the platform data every tenant reads.
 */
export enum Scope {
  /** Writes platform data (matches, events, predictions) and creates tenants. */
  OPERATOR = 'OPERATOR',
  /** Records match events only (a live feed). */
  INGEST = 'INGEST',
}

registerEnumType(Scope, {
  name: 'Scope',
  description: 'Platform permissions of an API key, beside its tenant role.',
  valuesConfig: {
    OPERATOR: { description: 'Writes platform data (matches, events, predictions) and creates tenants.' },
    INGEST: { description: 'Records match events.' },
  },
});

export const ALL_SCOPES: readonly Scope[] = [Scope.OPERATOR, Scope.INGEST];

/** True when `held` includes at least one of `accepted`. */
export function holdsAnyScope(held: readonly Scope[], accepted: readonly Scope[]): boolean {
  return accepted.some((scope) => held.includes(scope));
}
