import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../context';
import { Competition } from './competition.entity';
import { Season } from './season.entity';

@Resolver(() => Competition)
export class CompetitionResolver {
  @Query(() => [Competition], { description: 'Every competition, by name.' })
  competitions(@Ctx() ctx: AppContext): Promise<Competition[]> {
    return ctx.services.competitions.list();
  }

  @Query(() => Competition, { nullable: true, description: 'A competition by code, e.g. `premier-league`.' })
  competition(@Arg('code', () => String) code: string, @Ctx() ctx: AppContext): Promise<Competition | null> {
    return ctx.services.competitions.findByCode(code);
  }

  @FieldResolver(() => [Season], { description: 'Seasons, newest first.' })
  seasons(@Root() competition: Competition, @Ctx() ctx: AppContext): Promise<Season[]> {
    return ctx.loaders.seasonsByCompetitionId.load(competition.id);
  }
}
