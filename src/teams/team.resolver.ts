import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ConnectionType, PageArgs, parsePage, type Connection } from '../common/connection';
import { idOf } from '../common/global-id';
import type { AppContext } from '../context';
import { NotFoundError } from '../errors';
import { Team } from './team.entity';
import { TeamFilter } from './team.inputs';

const TeamConnection = ConnectionType('Team', Team);

@Resolver(() => Team)
export class TeamResolver {
  @Query(() => TeamConnection, { description: 'Teams by name.' })
  teams(
    @Arg('filter', () => TeamFilter, { nullable: true }) filter: TeamFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<Team>> {
    const { limit, after } = parsePage(page, ctx.config.maxPageSize);
    return ctx.services.teams.list({ search: filter?.search, competitionCode: filter?.competition }, limit, after);
  }

  @Query(() => Team)
  async team(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Team> {
    const teamId = idOf('Team', id);
    const team = await ctx.loaders.teamById.load(teamId);
    if (!team) throw new NotFoundError('Team', id);
    return team;
  }
}
