/**
 * The expected outcome of every root field of the schema for every kind of caller. The test
 * (permission-matrix.test.ts) lists the root fields from the schema itself: a new Query,
 * Mutation or Subscription field fails it until it has a row here, and each cell is checked
 * against the running server.
 *
 * Callers: members of one tenant with each role and a key without scopes; an OPERATOR-scoped
 * and an INGEST-scoped key (both of VIEWER members, so only the scope speaks); no key; a
 * revoked key (of an OWNER with both scopes); a JWT whose role claim is ADMIN (of a VIEWER
 * member: the claim speaks); and an expired JWT (of an OWNER, role claim OWNER).
 *
 * Outcomes: `allowed` means the permission layer let the call through (the field answered, or
 * failed for its own reasons: NOT_FOUND, INVALID_STATE, CONFLICT, BAD_USER_INPUT); otherwise
 * the error code the caller gets.
 */
export const CALLERS = [
  'OWNER',
  'ADMIN',
  'ANALYST',
  'VIEWER',
  'OPERATOR',
  'INGEST',
  'anonymous',
  'revoked',
  'JWT',
  'expiredJWT',
] as const;

export type Caller = (typeof CALLERS)[number];
export type Outcome = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

const A: Outcome = 'allowed';
const F: Outcome = 'FORBIDDEN';
const U: Outcome = 'UNAUTHENTICATED';
const N: Outcome = 'NOT_FOUND';

// prettier-ignore
export const EXPECTED_OUTCOMES: Record<string, readonly Outcome[]> = {
  //                              OWNER ADMIN ANALYST VIEWER OPERATOR INGEST anonymous revoked JWT expiredJWT
  'Query.competitions':          [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.competition':           [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.teams':                 [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.team':                  [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.matches':               [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.match':                 [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.node':                  [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.modelMetrics':          [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.models':                [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.viewer':                [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.watchlist':             [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.alertRules':            [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.alertEvents':           [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.customModels':          [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Query.ingestSources':         [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  // Platform data: the operator's, whatever the tenant role.
  'Mutation.createMatch':        [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  'Mutation.updateMatch':        [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  'Mutation.recordMatchEvent':   [F,    F,    F,      F,     A,       A,     U,        U,      F,  U],
  'Mutation.ingestMatchEvents':  [F,    F,    F,      F,     A,       A,     U,        U,      F,  U],
  'Mutation.ingestOdds':         [F,    F,    F,      F,     A,       A,     U,        U,      F,  U],
  'Mutation.cancelMatchEvent':   [F,    F,    F,      F,     A,       A,     U,        U,      F,  U],
  'Mutation.correctMatchEvent':  [F,    F,    F,      F,     A,       A,     U,        U,      F,  U],
  'Mutation.refreshPredictions': [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  'Mutation.createTenant':       [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  'Mutation.setTenantPlan':      [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  'Mutation.createIngestSource': [F,    F,    F,      F,     A,       F,     U,        U,      F,  U],
  'Mutation.rotateIngestSourceSecret': [F, F, F,      F,     A,       F,     U,        U,      F,  U],
  // The caller's own tenant.
  'Mutation.inviteMember':       [A,    F,    F,      F,     F,       F,     U,        U,      F,  U],
  'Mutation.removeMember':       [A,    F,    F,      F,     F,       F,     U,        U,      F,  U],
  'Mutation.changeMemberRole':   [A,    F,    F,      F,     F,       F,     U,        U,      F,  U],
  'Mutation.createApiKey':       [A,    A,    F,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.revokeApiKey':       [A,    A,    F,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.watch':              [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.unwatch':            [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.createAlertRule':    [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.updateAlertRule':    [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.deleteAlertRule':    [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.createCustomModel':  [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.updateCustomModel':  [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Mutation.deleteCustomModel':  [A,    A,    A,      F,     F,       F,     U,        U,      A,  U],
  'Subscription.matchUpdated':   [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Subscription.predictionUpdated': [A, A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Subscription.liveFeed':       [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
  'Subscription.alertTriggered': [A,    A,    A,      A,     A,       A,     U,        U,      A,  U],
};

/**
 * The same callers on another tenant's objects, for every root field whose arguments name a
 * tenant-owned object (a member, key, watchlist item, alert rule, custom model; any object for `node`): what
 * the permission layer lets through must find nothing (NOT_FOUND, or null for `node`), exactly
 * as for an id that does not exist, so no caller learns that the object exists. Root fields
 * whose id arguments name platform data (or tenants, for the operator) are listed in
 * PLATFORM_TARGETS; the test fails for a root field with an ID argument in neither.
 */
// prettier-ignore
export const FOREIGN_OUTCOMES: Record<string, readonly Outcome[]> = {
  //                              OWNER ADMIN ANALYST VIEWER OPERATOR INGEST anonymous revoked JWT expiredJWT
  'Query.node':                  [N,    N,    N,      N,     N,       N,     U,        U,      N,  U],
  'Mutation.removeMember':       [N,    F,    F,      F,     F,       F,     U,        U,      F,  U],
  'Mutation.changeMemberRole':   [N,    F,    F,      F,     F,       F,     U,        U,      F,  U],
  'Mutation.revokeApiKey':       [N,    N,    F,      F,     F,       F,     U,        U,      N,  U],
  'Mutation.unwatch':            [N,    N,    N,      F,     F,       F,     U,        U,      N,  U],
  'Mutation.updateAlertRule':    [N,    N,    N,      F,     F,       F,     U,        U,      N,  U],
  'Mutation.deleteAlertRule':    [N,    N,    N,      F,     F,       F,     U,        U,      N,  U],
  'Mutation.updateCustomModel':  [N,    N,    N,      F,     F,       F,     U,        U,      N,  U],
  'Mutation.deleteCustomModel':  [N,    N,    N,      F,     F,       F,     U,        U,      N,  U],
};

/** Root fields whose ID arguments name platform data (or, for the operator, any tenant). */
export const PLATFORM_TARGETS = [
  'Query.match',
  'Query.team',
  'Mutation.updateMatch',
  'Mutation.setTenantPlan',
  'Mutation.ingestMatchEvents',
  'Mutation.cancelMatchEvent',
  'Mutation.correctMatchEvent',
  'Subscription.matchUpdated',
  'Subscription.predictionUpdated',
  'Subscription.liveFeed',
  'Mutation.ingestOdds',
];

/**
 * The callers on a key of a higher role's member: revoking an OWNER's key (another OWNER of the
 * callers' tenant). Role rules must not let a lower role act on a higher one's credentials.
 */
// prettier-ignore
export const HIGHER_ROLE_OUTCOMES: Record<string, readonly Outcome[]> = {
  //                              OWNER ADMIN ANALYST VIEWER OPERATOR INGEST anonymous revoked JWT expiredJWT
  'Mutation.revokeApiKey':       [A,    F,    F,      F,     F,       F,     U,        U,      F,  U],
};
