import { applyMiddleware } from 'graphql-middleware';
import type { GraphQLSchema } from 'graphql';
import path from 'node:path';
import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { permissions } from './auth/permissions';
import { NodeResolver } from './common/node.resolver';
import { rejectNulBytes } from './common/reject-nul-bytes';
import { CompetitionResolver } from './competitions/competition.resolver';
import { SeasonResolver } from './competitions/season.resolver';
import { LiveResolver } from './live/live.resolver';
import { MatchEventResolver } from './matches/match-event.resolver';
import { MatchResolver } from './matches/match.resolver';
import { ModelMetricsResolver } from './metrics/model-metrics.resolver';
import { PredictionResolver } from './predictions/prediction.resolver';
import type { AppPubSub } from './pubsub/pubsub';
import { TeamResolver } from './teams/team.resolver';

export const resolvers = [
  NodeResolver,
  CompetitionResolver,
  SeasonResolver,
  TeamResolver,
  MatchResolver,
  MatchEventResolver,
  PredictionResolver,
  ModelMetricsResolver,
  LiveResolver,
] as const;

/** Where the committed SDL lives; `npm run schema:emit` rewrites it. */
export const SCHEMA_FILE = path.resolve(__dirname, '../schema.graphql');

/** The executable schema: type-graphql types with graphql-shield permissions applied. */
export async function createSchema(pubSub?: AppPubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    pubSub,
    globalMiddlewares: [rejectNulBytes],
    validate: { forbidUnknownValues: false },
  });
  return applyMiddleware(schema, permissions);
}

/** The schema without permissions, for emitting SDL. */
export function createBareSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, pubSub: createPubSub(), validate: { forbidUnknownValues: false } });
}
