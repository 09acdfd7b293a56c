/**
 * The expected outcome of every root field of the schema for every kind of caller. The test
 * (permission-matrix.test.ts) lists the root fields from the schema itself: a new Query,
 * Mutation or Subscription field fails it until it has a row here, and each cell is checked
 * against the running server.
 *
 * Callers: members of one tenant with each role and a key without scopes; an OPERATOR-scoped
 * and an INGEST-scoped key (both of VIEWER members, so only the scope speaks); no key; and a
 * revoked key (of an OWNER with both scopes).
 *
 * Outcomes: `allowed` means the permission layer let the call through (the field answered, or
 * failed for its own reasons: NOT_FOUND, INVALID_STATE, CONFLICT, BAD_USER_INPUT); otherwise
 * the error code the caller gets.
 */
export const CALLERS = ['OWNER', 'ADMIN', 'ANALYST', 'VIEWER', 'OPERATOR', 'INGEST', 'anonymous', 'revoked'] as const;

export type Caller = (typeof CALLERS)[number];
export type Outcome = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';

const A: Outcome = 'allowed';
const F: Outcome = 'FORBIDDEN';
const U: Outcome = 'UNAUTHENTICATED';

// prettier-ignore
export const EXPECTED_OUTCOMES: Record<string, readonly Outcome[]> = {
  //                              OWNER ADMIN ANALYST VIEWER OPERATOR INGEST anonymous revoked
  'Query.competitions':          [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.competition':           [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.teams':                 [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.team':                  [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.matches':               [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.match':                 [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.node':                  [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.modelMetrics':          [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.models':                [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.viewer':                [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.watchlist':             [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.alertRules':            [A,    A,    A,      A,     A,       A,     U,        U],
  'Query.alertEvents':           [A,    A,    A,      A,     A,       A,     U,        U],
  // Platform data: the operator's, whatever the tenant role.
  'Mutation.createMatch':        [F,    F,    F,      F,     A,       F,     U,        U],
  'Mutation.updateMatch':        [F,    F,    F,      F,     A,       F,     U,        U],
  'Mutation.recordMatchEvent':   [F,    F,    F,      F,     A,       A,     U,        U],
  'Mutation.refreshPredictions': [F,    F,    F,      F,     A,       F,     U,        U],
  'Mutation.createTenant':       [F,    F,    F,      F,     A,       F,     U,        U],
  'Mutation.setTenantPlan':      [F,    F,    F,      F,     A,       F,     U,        U],
  // The caller's own tenant.
  'Mutation.inviteMember':       [A,    F,    F,      F,     F,       F,     U,        U],
  'Mutation.removeMember':       [A,    F,    F,      F,     F,       F,     U,        U],
  'Mutation.changeMemberRole':   [A,    F,    F,      F,     F,       F,     U,        U],
  'Mutation.createApiKey':       [A,    A,    F,      F,     F,       F,     U,        U],
  'Mutation.revokeApiKey':       [A,    A,    F,      F,     F,       F,     U,        U],
  'Mutation.watch':              [A,    A,    A,      F,     F,       F,     U,        U],
  'Mutation.unwatch':            [A,    A,    A,      F,     F,       F,     U,        U],
  'Mutation.createAlertRule':    [A,    A,    A,      F,     F,       F,     U,        U],
  'Mutation.updateAlertRule':    [A,    A,    A,      F,     F,       F,     U,        U],
  'Mutation.deleteAlertRule':    [A,    A,    A,      F,     F,       F,     U,        U],
  'Subscription.matchUpdated':   [A,    A,    A,      A,     A,       A,     U,        U],
  'Subscription.predictionUpdated': [A, A,    A,      A,     A,       A,     U,        U],
  'Subscription.alertTriggered': [A,    A,    A,      A,     A,       A,     U,        U],
};
