import './shield-node-compat';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddleware } from 'graphql-middleware';
import { allow, rule, shield } from 'graphql-shield';
import type { IRule, IRules } from 'graphql-shield';
import type { AppContext } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { Role, roleAtLeast } from '../tenants/role';

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
  },
  Mutation: {
    createMatch: isAdmin,
    updateMatch: isAdmin,
    recordMatchEvent: isAdmin,
    refreshPredictions: isAdmin,
  },
  Subscription: {
    matchUpdated: isMember,
    predictionUpdated: isMember,
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
  Odds: allow,
  Prediction: allow,
  PageInfo: allow,
  RecordMatchEventPayload: allow,
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
