import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, parsePage, type Connection } from '../common/connection';
import { idOf } from '../common/global-id';
import { selectsField } from '../common/selection';
import { loadRequired } from '../common/loaded';
import { Season } from '../competitions/season.entity';
import type { AppContext } from '../context';
import { Prediction } from '../predictions/prediction.entity';
import { Team } from '../teams/team.entity';
import { MatchEvent } from './match-event.entity';
import { Match } from './match.entity';
import { CreateMatchInput, MatchFilter, UpdateMatchInput } from './match.inputs';
import { MatchConnection } from './match.types';
import { Odds } from './odds.entity';

@Resolver(() => Match)
export class MatchResolver {
  @Query(() => MatchConnection, { description: 'Matches by kick-off time.' })
  matches(
    @Arg('filter', () => MatchFilter, { nullable: true }) filter: MatchFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<Match>> {
    const { limit, after } = parsePage(page, ctx.config.maxPageSize);
    const listFilter = {
      competitionCode: filter?.competition,
      seasonLabel: filter?.season,
      teamId: filter?.team ? idOf('Team', filter.team, 'filter.team') : undefined,
      status: filter?.status,
      from: filter?.from,
      to: filter?.to,
    };
    return ctx.services.matches.list(listFilter, limit, after);
  }

  @Query(() => Match)
  match(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Match> {
    return ctx.services.matches.getById(idOf('Match', id));
  }

  @Mutation(() => Match, { description: 'Schedules a match. Needs the OPERATOR scope.' })
  createMatch(@Arg('input', () => CreateMatchInput) input: CreateMatchInput, @Ctx() ctx: AppContext): Promise<Match> {
    return ctx.services.matches.create({
      seasonId: idOf('Season', input.seasonId, 'seasonId'),
      homeTeamId: idOf('Team', input.homeTeamId, 'homeTeamId'),
      awayTeamId: idOf('Team', input.awayTeamId, 'awayTeamId'),
      kickoff: input.kickoff,
    });
  }

  @Mutation(() => Match, { description: 'Moves, postpones or cancels a match. Needs the OPERATOR scope.' })
  updateMatch(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateMatchInput) input: UpdateMatchInput,
    @Ctx() ctx: AppContext,
  ): Promise<Match> {
    return ctx.services.matches.update(idOf('Match', id), { kickoff: input.kickoff, status: input.status });
  }

  @FieldResolver(() => Team)
  homeTeam(@Root() match: Match, @Ctx() ctx: AppContext): Promise<Team> {
    return loadRequired(ctx.loaders.teamById, match.homeTeam.id, 'Team');
  }

  @FieldResolver(() => Team)
  awayTeam(@Root() match: Match, @Ctx() ctx: AppContext): Promise<Team> {
    return loadRequired(ctx.loaders.teamById, match.awayTeam.id, 'Team');
  }

  @FieldResolver(() => Season)
  season(@Root() match: Match, @Ctx() ctx: AppContext): Promise<Season> {
    return loadRequired(ctx.loaders.seasonById, match.season.id, 'Season');
  }

  @FieldResolver(() => [MatchEvent], { description: 'Events in match order.' })
  events(@Root() match: Match, @Ctx() ctx: AppContext): Promise<MatchEvent[]> {
    return ctx.loaders.eventsByMatchId.load(match.id);
  }

  @FieldResolver(() => [Odds], {
    description: 'Every price stored: imported opening and closing prices, and each ingested one (the history).',
  })
  odds(@Root() match: Match, @Ctx() ctx: AppContext): Promise<Odds[]> {
    return ctx.loaders.oddsByMatchId.load(match.id);
  }

  @FieldResolver(() => [Odds], {
    description:
      'The current price per bookmaker, market and line: the newest ingested one, else the imported closing (or opening) one.',
  })
  latestOdds(@Root() match: Match, @Ctx() ctx: AppContext): Promise<Odds[]> {
    return ctx.loaders.latestOddsByMatchId.load(match.id);
  }

  @FieldResolver(() => [Prediction], { description: 'Every stored prediction, newest first.' })
  predictions(@Root() match: Match, @Ctx() ctx: AppContext, @Info() info: GraphQLResolveInfo): Promise<Prediction[]> {
    return ctx.loaders.predictionsByMatchId.load(match.id, { withMarkets: selectsField(info, 'markets') });
  }

  @FieldResolver(() => Prediction, {
    nullable: true,
    description:
      'The newest independent platform prediction: the ensemble before kick-off, the in-play model once live. ' +
      'The market-informed forecast (modelName "market-informed" in `predictions`) is the better-calibrated ' +
      'probability, but it follows the bookmakers, so edges and price alerts are computed from this one.',
  })
  latestPrediction(
    @Root() match: Match,
    @Ctx() ctx: AppContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Prediction | null> {
    return ctx.loaders.latestPredictionByMatchId.load(match.id, { withMarkets: selectsField(info, 'markets') });
  }
}
