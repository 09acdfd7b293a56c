import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { idOf, toGlobalId } from '../common/global-id';
import { Competition } from '../competitions/competition.entity';
import type { AppContext } from '../context';
import { Match } from '../matches/match.entity';
import { Team } from '../teams/team.entity';
import { targetOf } from './watch-target';
import { WatchInput } from './watchlist.inputs';
import { WatchlistItem } from './watchlist-item.entity';

@Resolver(() => WatchlistItem)
export class WatchlistResolver {
  @Query(() => [WatchlistItem], { description: "Your tenant's watchlist, oldest first." })
  watchlist(@Ctx() ctx: AppContext): Promise<WatchlistItem[]> {
    return ctx.services.watchlists.list();
  }

  @Mutation(() => WatchlistItem, { description: 'Follows a team, match or competition. Needs ANALYST.' })
  watch(@Arg('input', () => WatchInput) input: WatchInput, @Ctx() ctx: AppContext): Promise<WatchlistItem> {
    return ctx.services.watchlists.watch(targetOf(input, 'input'));
  }

  @Mutation(() => ID, { description: 'Stops following; returns the removed item’s ID. Needs ANALYST.' })
  async unwatch(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return toGlobalId('WatchlistItem', await ctx.services.watchlists.unwatch(idOf('WatchlistItem', id)));
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() item: WatchlistItem, @Ctx() ctx: AppContext): Promise<Team | null> | null {
    return item.team ? ctx.loaders.teamById.load(item.team.id) : null;
  }

  @FieldResolver(() => Match, { nullable: true })
  match(@Root() item: WatchlistItem, @Ctx() ctx: AppContext): Promise<Match | null> | null {
    return item.match ? ctx.loaders.matchById.load(item.match.id) : null;
  }

  @FieldResolver(() => Competition, { nullable: true })
  competition(@Root() item: WatchlistItem, @Ctx() ctx: AppContext): Promise<Competition | null> | null {
    return item.competition ? ctx.loaders.competitionById.load(item.competition.id) : null;
  }
}
