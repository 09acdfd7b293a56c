import './shield-node-compat';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddleware } from 'graphql-middleware';
import { allow, rule, shield } from 'graphql-shield';
import type { IRule, IRules } from 'graphql-shield';
import type { AppContext } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { Role, roleAtLeast } from '../tenants/role';
import { holdsAnyScope, Scope } from '../tenants/scope';

/** A rule of the tree: a rule of ours or one of graphql-shield's logic rules (`allow`). */
type Policy = IRule | typeof allow;

// `contextual` caching evaluates each rule once per request.
const isMember = rule({ cache: 'contextual' })((_parent, _args, ctx: AppContext) =>
  ctx.principal ? true : new UnauthenticatedError(ctx.authFailure ?? undefined),
);

const hasRole = (required: Role) =>
  rule(`hasRole_${required}`, { cache: 'contextual' })((_parent, _args, ctx: AppContext) => {
    if (!ctx.principal) return new UnauthenticatedError(ctx.authFailure ?? undefined);
    return roleAtLeast(ctx.principal.role, required)
      ? true
      : new ForbiddenError(`This operation needs the ${required} role or above; yours is ${ctx.principal.role}`);
  });

const isAdmin = hasRole(Role.ADMIN);
const isOwner = hasRole(Role.OWNER);
const isAnalyst = hasRole(Role.ANALYST);

/** The key carries one of the scopes; the member's tenant role does not matter (platform work). */
const hasScope = (...accepted: Scope[]) =>
  rule(`hasScope_${accepted.join('_')}`, { cache: 'contextual' })((_parent, _args, ctx: AppContext) => {
    if (!ctx.principal) return new UnauthenticatedError(ctx.authFailure ?? undefined);
    return holdsAnyScope(ctx.principal.scopes, accepted)
      ? true
      : new ForbiddenError(`This operation needs an API key with the ${accepted.join(' or ')} scope`);
  });

const isOperator = hasScope(Scope.OPERATOR);
const isOperatorOrIngest = hasScope(Scope.OPERATOR, Scope.INGEST);

const deny = rule('deny')(() => new ForbiddenError('This field is not available'));

/**
 * Field permissions. A field without a rule here is denied (`fallbackRule`), so new fields must
 * be given one deliberately; a test proves every field of the schema is listed.
 */
export const ruleTree = {
  Query: {
    competitions: isMember,
    competition: isMember,
    teams: isMember,
    team: isMember,
    matches: isMember,
    match: isMember,
    node: isMember,
    modelMetrics: isMember,
    models: isMember,
    viewer: isMember,
    // Tenant-private reads: every member of the tenant.
    watchlist: isMember,
    ingestSources: isOperator,
    alertRules: isMember,
    alertEvents: isMember,
    customModels: isMember,
  },
  Mutation: {
    // Platform data is the operator's; tenant roles do not write it.
    createMatch: isOperator,
    updateMatch: isOperator,
    recordMatchEvent: isOperatorOrIngest,
    ingestMatchEvents: isOperatorOrIngest,
    ingestOdds: isOperatorOrIngest,
    cancelMatchEvent: isOperatorOrIngest,
    correctMatchEvent: isOperatorOrIngest,
    createIngestSource: isOperator,
    rotateIngestSourceSecret: isOperator,
    refreshPredictions: isOperator,
    createTenant: isOperator,
    setTenantPlan: isOperator,
    inviteMember: isOwner,
    removeMember: isOwner,
    changeMemberRole: isOwner,
    createApiKey: isAdmin,
    revokeApiKey: isAdmin,
    watch: isAnalyst,
    unwatch: isAnalyst,
    createAlertRule: isAnalyst,
    updateAlertRule: isAnalyst,
    deleteAlertRule: isAnalyst,
    createCustomModel: isAnalyst,
    updateCustomModel: isAnalyst,
    deleteCustomModel: isAnalyst,
  },
  Subscription: {
    matchUpdated: isMember,
    predictionUpdated: isMember,
    liveFeed: isMember,
    // Delivers only the subscriber's own tenant's alerts (its topic is the tenant's).
    alertTriggered: isMember,
  },
  // Shared football data: visible to any member once a root field allowed the read.
  Competition: allow,
  Season: allow,
  Team: allow,
  TeamConnection: allow,
  TeamEdge: allow,
  Match: allow,
  MatchConnection: allow,
  MatchEdge: allow,
  MatchEvent: allow,
  MatchEventRecorded: allow,
  MatchEventCorrected: allow,
  MatchChanged: allow,
  PricesMoved: allow,
  Odds: allow,
  Prediction: allow,
  PageInfo: allow,
  RecordMatchEventPayload: allow,
  IngestMatchEventsPayload: allow,
  IngestedMatchEvent: allow,
  IngestOddsPayload: allow,
  IngestedOdds: allow,
  IngestError: allow,
  IngestSource: allow,
  IngestSourceSecretPayload: allow,
  PredictionMarkets: allow,
  OverUnderLine: allow,
  BothTeamsToScore: allow,
  HandicapLine: allow,
  ScoreProbability: allow,
  ModelMetrics: allow,
  CalibrationBin: allow,
  PredictionModel: allow,
  BacktestMetrics: allow,
  RefreshPredictionsPayload: allow,
  // Tenant-private types: reached only through the caller's own tenant (the services add the
  // tenant condition to every statement), so the fields below decide roles, not tenants.
  Viewer: allow,
  Tenant: {
    id: allow,
    slug: allow,
    name: allow,
    createdAt: allow,
    members: isMember,
    apiKeys: isAdmin,
    auditLog: isAdmin,
    // Its plan and usage: any member (clients size their traffic on them).
    plan: isMember,
    usage: isMember,
  },
  Member: allow,
  MemberConnection: allow,
  MemberEdge: allow,
  User: allow,
  ApiKey: isAdmin,
  ApiKeyConnection: allow,
  ApiKeyEdge: allow,
  AuditEntry: isAdmin,
  AuditEntryConnection: allow,
  AuditEntryEdge: allow,
  CreateApiKeyPayload: allow,
  CreateTenantPayload: allow,
  RemoveMemberPayload: allow,
  // Watchlists and alerts: every statement of their services is scoped to the caller's tenant.
  WatchlistItem: allow,
  AlertRule: allow,
  // Read through the tenant-scoped service (and `Match.predictions` by the caller's tenant).
  CustomModel: allow,
  AlertEvent: allow,
  AlertEventConnection: allow,
  AlertEventEdge: allow,
  AlertValues: allow,
  // Plans and usage (src/tenants/plan.*): reached through the caller's own tenant or an operator's mutation.
  Plan: allow,
  UsageDay: allow,
  SetTenantPlanPayload: allow,
} satisfies Record<string, Policy | Record<string, Policy>>;

const permissions = shield(ruleTree as IRules, { fallbackRule: deny, allowExternalErrors: true });

/** The rule listed for `type.field` (its own or its type's); undefined when none is. */
export function listedRule(typeName: string, fieldName: string): Policy | undefined {
  const typeRule = (ruleTree as Record<string, Policy | Record<string, Policy>>)[typeName];
  if (typeRule === undefined || isRule(typeRule)) return typeRule;
  return typeRule[fieldName] ?? typeRule['*'];
}

/**
 * Applies the shield to the fields whose rule can refuse. Fields ruled `allow` are left
 * unwrapped: a wrapper per resolved leaf (thousands in a list of matches with odds) costs
 * far more than the check it makes, and access to them was decided by the fields above.
 */
export function applyPermissions(schema: GraphQLSchema): GraphQLSchema {
  const generated = permissions.generate(schema) as Record<string, Record<string, unknown>>;
  const guarded: Record<string, Record<string, unknown>> = {};
  for (const [typeName, fields] of Object.entries(generated)) {
    const kept = Object.entries(fields).filter(([fieldName]) => listedRule(typeName, fieldName) !== allow);
    if (kept.length) guarded[typeName] = Object.fromEntries(kept);
  }
  return applyMiddleware(schema, guarded as IMiddleware);
}

function isRule(value: Policy | Record<string, Policy>): value is Policy {
  return typeof (value as { resolve?: unknown }).resolve === 'function';
}
