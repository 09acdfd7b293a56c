import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../context';
import { fromGlobalId } from './global-id';
import { Node } from './node';

type NodeLoader = (ctx: AppContext, id: number) => Promise<Node | null>;

const nodeLoaders: Record<string, NodeLoader> = {
  Competition: ({ loaders }, id) => loaders.competitionById.load(id),
  Season: ({ loaders }, id) => loaders.seasonById.load(id),
  Team: ({ loaders }, id) => loaders.teamById.load(id),
  Match: ({ loaders }, id) => loaders.matchById.load(id),
  MatchEvent: ({ loaders }, id) => loaders.eventById.load(id),
  Odds: ({ loaders }, id) => loaders.oddsById.load(id),
  Prediction: ({ loaders }, id) => loaders.predictionById.load(id),
  // Tenant-private: found only in the caller's tenant, so another tenant's id is null too.
  Tenant: ({ services }, id) => services.tenants.tenantById(id),
  Member: ({ services }, id) => services.tenants.memberById(id),
  User: ({ services }, id) => services.tenants.userById(id),
  ApiKey: ({ services }, id) => services.tenants.apiKeyById(id),
  WatchlistItem: ({ services }, id) => services.watchlists.byId(id),
  AlertRule: ({ services }, id) => services.alertRules.byId(id),
  AlertEvent: ({ services }, id) => services.alertEvents.byId(id),
  CustomModel: ({ services }, id) => services.customModels.byId(id),
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its global ID; null if it does not exist or is another tenant's (the same answer).",
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Node | null> {
    const { typeName, id: databaseId } = fromGlobalId(id);
    const load = nodeLoaders[typeName];
    return load ? load(ctx, databaseId) : null;
  }
}
