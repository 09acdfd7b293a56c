import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { publishingWithAlerts } from './alerts/alert.evaluator';
import { AlertEventService } from './alerts/alert-event.service';
import { AlertRuleService } from './alerts/alert-rule.service';
import { apiKeyFromHeaders, hashApiKey } from './auth/api-key';
import { isJwt, JwtRejected, type JwtVerifier } from './auth/jwt';
import type { PrincipalCache } from './auth/principal-cache';
import type { Principal } from './auth/principal';
import type { Cache } from './cache/cache';
import { announceSharedDataChange, type ResponseCache } from './cache/response-cache';
import { createCompetitionLoaders } from './competitions/competition.loaders';
import { CompetitionService } from './competitions/competition.service';
import { CustomModelService } from './custom-models/custom-model.service';
import type { AppConfig } from './config';
import type { Orm } from './db/orm';
import type { BatchObserver } from './db/batch';
import { isDatabaseUnavailable } from './db/unavailable';
import { ServiceUnavailableError, type RateLimitedError } from './errors';
import { createRelationBatch } from './db/relation-batch';
import type { Logger } from './logger';
import type { AppMetrics } from './metrics/prometheus';
import { createMatchLoaders } from './matches/match.loaders';
import { MatchService } from './matches/match.service';
import { IngestSourceService } from './matches/ingest/ingest-source.service';
import { createPredictionLoaders } from './predictions/prediction.loaders';
import { PredictionService } from './predictions/prediction.service';
import type { AppPubSub } from './pubsub/pubsub';
import type { Quotas } from './quotas/quotas';
import { createTeamLoaders } from './teams/team.loaders';
import { TeamService } from './teams/team.service';
import { principalForApiKey } from './tenants/api-key.service';
import { principalForJwt } from './tenants/jwt-member.service';
import { PlanService } from './tenants/plan.service';
import { TenantService } from './tenants/tenant.service';
import { WatchlistService } from './watchlists/watchlist.service';
import { OddsIngestService } from './matches/odds/odds-ingest.service';
import type { LiveSequencer } from './live/live-sequencer';

/** Long-lived dependencies shared by every request. */
export interface AppDependencies {
  orm: Orm;
  cache: Cache;
  /** Principals of recently used API keys; null when AUTH_CACHE_TTL_SECONDS is 0. */
  principals: PrincipalCache | null;
  /** Whole responses of shared-data queries; null when RESPONSE_CACHE is off. */
  responseCache: ResponseCache | null;
  pubSub: AppPubSub;
  config: AppConfig;
  logger: Logger;
  /** Plans enforced: rate limits, concurrency limits, usage. */
  quotas: Quotas;
  /** Checks JWTs of the identity provider; null when JWT_* is not configured (API keys only). */
  jwt: JwtVerifier | null;
  /** Every match's live updates in sequence order, for `liveFeed` (see live/live-sequencer.ts). */
  live: LiveSequencer;
  /** Prometheus metrics of this app; absent in scripts. */
  metrics?: AppMetrics;
}

/**
 * Fresh per unit of work. `tenantId`: the caller's, whose custom models' predictions the
 * prediction loaders include; `observe` is told about each batch (metrics).
 */
export function createLoaders(em: EntityManager, tenantId: number | null = null, observe?: BatchObserver) {
  const relations = createRelationBatch(em, observe);
  return {
    ...createCompetitionLoaders(em, relations, observe),
    ...createTeamLoaders(relations),
    ...createMatchLoaders(em, relations, observe),
    ...createPredictionLoaders(em, relations, tenantId, observe),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

function createServices(em: EntityManager, deps: AppDependencies, principal: Principal | null) {
  const sharedDataChanged = () => announceSharedDataChange(deps.responseCache, deps.pubSub);
  return {
    competitions: new CompetitionService({ em, cache: deps.cache }),
    teams: new TeamService({ em }),
    // Its PREDICTION_UPDATED publications are evaluated against alert rules (see alert.evaluator.ts).
    matches: new MatchService({
      onEvent: deps.metrics?.eventRecorded,
      em,
      cache: deps.cache,
      pubSub: publishingWithAlerts(deps),
      principal,
      sharedDataChanged,
    }),
    predictions: new PredictionService({
      em,
      principal,
      sharedDataChanged,
      timings: deps.metrics?.predictionTimings,
      pubSub: publishingWithAlerts(deps),
    }),
    // A price move stores a market-informed prediction: evaluated against alert rules as well.
    odds: new OddsIngestService({ em, principal, pubSub: publishingWithAlerts(deps), sharedDataChanged }),
    tenants: new TenantService({ em, principal, principals: deps.principals, pubSub: deps.pubSub }),
    watchlists: new WatchlistService({ em, principal, pubSub: deps.pubSub }),
    alertRules: new AlertRuleService({ em, principal }),
    alertEvents: new AlertEventService({ em, principal }),
    customModels: new CustomModelService({ em, principal }),
    ingestSources: new IngestSourceService({ em, principal, cache: deps.cache }),
    plans: new PlanService({ em, principal, quotas: deps.quotas }),
  };
}

export type Services = ReturnType<typeof createServices>;

/** Services acting for no caller (the live demo), on a unit of work of their own. */
export function systemServices(deps: AppDependencies): Services {
  return createServices(deps.orm.em.fork() as EntityManager, deps, null);
}

/** Per-request (or per-subscription) state: one unit of work, fresh loaders, the caller. */
export interface AppContext {
  live: LiveSequencer;
  requestId: string;
  /** A quota refusal counted before Apollo's pipeline (see http/cached-responses.ts). */
  quotaRefusal?: RateLimitedError;
  principal: Principal | null;
  /** Why authentication failed, when a key was sent but not accepted. */
  authFailure: string | null;
  readonly em: EntityManager;
  readonly loaders: Loaders;
  readonly services: Services;
  pubSub: AppPubSub;
  config: AppConfig;
  logger: Logger;
  quotas: Quotas;
  /**
   * New unit of work and loaders, so each subscription event reads fresh data. `primeLoaders`
   * fills the new loaders with the event's own rows when (if) they are first used.
   */
  renewScope(primeLoaders?: (loaders: Loaders) => void): void;
  /** A subscription's current event: when it was committed, in ms since the epoch (push lag metric). */
  eventRecordedAt?: number;
}

export interface Authentication {
  principal: Principal | null;
  authFailure: string | null;
}

/**
 * Authenticates the API key or JWT (`Authorization: Bearer`) in HTTP headers or graphql-ws
 * connection params; throws ServiceUnavailableError when the credential cannot be checked
 * because the database is away.
 */
export async function authenticate(deps: AppDependencies, headers: Record<string, unknown>): Promise<Authentication> {
  const key = apiKeyFromHeaders(lowerCaseKeys(headers));
  if (!key) return { principal: null, authFailure: null };
  const keyHash = hashApiKey(key);
  const cached = deps.principals?.get(keyHash);
  if (cached) return { principal: cached, authFailure: null };
  const revocationsBefore = deps.principals?.revocations ?? 0;
  const planChangesBefore = deps.quotas.planChanges;
  const em = deps.orm.em.fork() as EntityManager;
  const found = await (isJwt(key) ? principalForToken(em, deps.jwt, key) : principalForApiKey(em, key)).catch(
    (error: unknown) => {
      // Before any operation runs: refuse the request as a whole, as retryable.
      throw isDatabaseUnavailable(error) ? new ServiceUnavailableError() : error;
    },
  );
  if (typeof found === 'string') return { principal: null, authFailure: found };
  if (!found) return { principal: null, authFailure: 'The API key is invalid, expired or revoked' };
  if (found.plan) deps.quotas.rememberPlan(found.principal.tenantId, found.plan, planChangesBefore);
  deps.principals?.set(keyHash, found, revocationsBefore);
  return { principal: found.principal, authFailure: null };
}

// A JWT's member, or why the token is refused (worded for the caller).
async function principalForToken(em: EntityManager, verify: JwtVerifier | null, token: string) {
  if (!verify) return 'This server accepts API keys only: JWT sign-in is not configured';
  try {
    const identity = await verify(token);
    return (await principalForJwt(em, identity)) ?? 'The token names a tenant that does not exist or a non-member';
  } catch (error) {
    if (error instanceof JwtRejected) return error.message;
    throw error;
  }
}

/** The one context factory, used by HTTP requests and WebSocket operations alike. */
export function createContext(
  deps: AppDependencies,
  auth: Authentication,
  requestId: string = randomUUID(),
): AppContext {
  // The unit of work, loaders and services are made on first use: a subscription renews its
  // scope for every event, and most events' results need no more than the loaders, or nothing.
  let em: EntityManager | null = null;
  let loaders: Loaders | null = null;
  let services: Services | null = null;
  let prime: ((loaders: Loaders) => void) | undefined;
  const emOfScope = () => (em ??= deps.orm.em.fork() as EntityManager);
  return {
    requestId,
    ...auth,
    pubSub: deps.pubSub,
    live: deps.live,
    config: deps.config,
    quotas: deps.quotas,
    logger: deps.logger.child({ requestId }),
    get em() {
      return emOfScope();
    },
    get loaders() {
      if (!loaders) {
        loaders = createLoaders(emOfScope(), auth.principal?.tenantId ?? null, deps.metrics?.batchObserved);
        prime?.(loaders);
      }
      return loaders;
    },
    get services() {
      return (services ??= createServices(emOfScope(), deps, auth.principal));
    },
    renewScope(primeLoaders) {
      em = null;
      loaders = null;
      services = null;
      prime = primeLoaders;
    },
  };
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
