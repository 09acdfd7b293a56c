import type { GraphQLFieldConfig, GraphQLInterfaceType, GraphQLSchema } from 'graphql';
import path from 'node:path';
import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import { fastDateTimeSerialize } from './common/date-time';
import { createPubSub } from '@graphql-yoga/subscription';
import { AlertEventResolver } from './alerts/alert-event.resolver';
import { AlertRuleResolver } from './alerts/alert-rule.resolver';
import { applyPermissions } from './auth/permissions';
import { toGlobalId } from './common/global-id';
import { nodeTypeName } from './common/node';
import { NodeResolver } from './common/node.resolver';
import { CompetitionResolver } from './competitions/competition.resolver';
import { SeasonResolver } from './competitions/season.resolver';
import { LiveFeedResolver, resolveLiveFeedUpdate } from './live/live-feed.resolver';
import { typeOfUpdate } from './live/live-feed.types';
import { OddsIngestResolver } from './matches/odds/odds-ingest.resolver';
import { LiveResolver } from './live/live.resolver';
import { IngestSourceResolver } from './matches/ingest/ingest-source.resolver';
import { MatchEventResolver } from './matches/match-event.resolver';
import { MatchResolver } from './matches/match.resolver';
import { ModelMetricsResolver } from './metrics/model-metrics.resolver';
import { PredictionResolver } from './predictions/prediction.resolver';
import type { AppPubSub } from './pubsub/pubsub';
import { TeamResolver } from './teams/team.resolver';
import { ApiKeyResolver } from './tenants/api-key.resolver';
import { MemberResolver } from './tenants/member.resolver';
import { TenantPlanResolver, ViewerPlanResolver } from './tenants/plan.resolver';
import { TenantResolver } from './tenants/tenant.resolver';
import { WatchlistResolver } from './watchlists/watchlist.resolver';
import { CustomModelResolver } from './custom-models/custom-model.resolver';

export const resolvers = [
  NodeResolver,
  CompetitionResolver,
  SeasonResolver,
  TeamResolver,
  MatchResolver,
  MatchEventResolver,
  IngestSourceResolver,
  PredictionResolver,
  ModelMetricsResolver,
  LiveResolver,
  LiveFeedResolver,
  OddsIngestResolver,
  TenantResolver,
  MemberResolver,
  ApiKeyResolver,
  WatchlistResolver,
  AlertRuleResolver,
  AlertEventResolver,
  CustomModelResolver,
  TenantPlanResolver,
  ViewerPlanResolver,
] as const;

/** Where the committed SDL lives; `npm run schema:emit` rewrites it. */
export const SCHEMA_FILE = path.resolve(__dirname, '../schema.graphql');

/** The executable schema: type-graphql types with graphql-shield permissions applied. */
export async function createSchema(pubSub?: AppPubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    pubSub,
    validate: { forbidUnknownValues: false },
  });
  // type-graphql wraps resolveType in an async function; graphql-jit needs it synchronous.
  const node = schema.getType('Node') as GraphQLInterfaceType;
  node.resolveType = nodeTypeName;
  (schema.getType('LiveUpdate') as GraphQLInterfaceType).resolveType = typeOfUpdate;
  const liveFeed = schema.getSubscriptionType()!.getFields().liveFeed!;
  liveFeed.resolve = resolveLiveFeedUpdate as GraphQLFieldConfig<unknown, unknown>['resolve'];
  // A global ID from the type's name and the row's id: loaders may then hand plain objects,
  // and no per-object class conversion (type-graphql's method resolvers) runs for `id`.
  for (const type of schema.getPossibleTypes(node)) {
    type.getFields().id!.resolve = (source: { id: number }) => toGlobalId(type.name, source.id);
  }
  fastDateTimeSerialize(schema);
  return applyPermissions(schema);
}

/** The schema without permissions, for emitting SDL. */
export function createBareSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, pubSub: createPubSub(), validate: { forbidUnknownValues: false } });
}
