import './shield-node-compat';
import { allow, rule, shield } from 'graphql-shield';
import type { AppContext } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { Role, roleAtLeast } from '../tenants/role';

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

/**
 * Field permissions. `fallbackRule: deny` means a field without a rule here is refused,
 * so new fields must be given one deliberately.
 */
export const permissions = shield(
  {
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
  },
  {
    fallbackRule: rule('deny')(() => new ForbiddenError('This field is not available')),
    allowExternalErrors: true,
  },
);
