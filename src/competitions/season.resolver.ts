import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { loadRequired } from '../common/loaded';
import type { AppContext } from '../context';
import { Competition } from './competition.entity';
import { Season } from './season.entity';

@Resolver(() => Season)
export class SeasonResolver {
  @FieldResolver(() => Competition)
  competition(@Root() season: Season, @Ctx() ctx: AppContext): Promise<Competition> {
    return loadRequired(ctx.loaders.competitionById, season.competition.id, 'Competition');
  }
}
