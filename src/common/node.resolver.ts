import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { AppContext, Loaders } from '../context';
import { fromGlobalId } from './global-id';
import { Node } from './node';

type NodeLoader = (loaders: Loaders, id: number) => Promise<Node | null>;

const nodeLoaders: Record<string, NodeLoader> = {
  Competition: (l, id) => l.competitionById.load(id),
  Season: (l, id) => l.seasonById.load(id),
  Team: (l, id) => l.teamById.load(id),
  Match: (l, id) => l.matchById.load(id),
  MatchEvent: (l, id) => l.eventById.load(id),
  Odds: (l, id) => l.oddsById.load(id),
  Prediction: (l, id) => l.predictionById.load(id),
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null if it does not exist.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Node | null> {
    const { typeName, id: databaseId } = fromGlobalId(id);
    const load = nodeLoaders[typeName];
    return load ? load(ctx.loaders, databaseId) : null;
  }
}
