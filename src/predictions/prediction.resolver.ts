import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { loadRequired } from '../common/loaded';
import type { AppContext } from '../context';
import { Match } from '../matches/match.entity';
import { registeredModels } from './model-registry';
import { Prediction } from './prediction.entity';
import { PredictionModel, RefreshPredictionsPayload } from './prediction.types';

@Resolver(() => Prediction)
export class PredictionResolver {
  @Query(() => [PredictionModel], { description: 'The models behind predictions, with their backtest scores.' })
  models(): PredictionModel[] {
    return registeredModels();
  }

  @Mutation(() => RefreshPredictionsPayload, {
    description:
      'Refits every model and stores predictions for the upcoming matches of a competition. Needs the OPERATOR scope.',
  })
  async refreshPredictions(
    @Arg('competition', () => String) competition: string,
    @Ctx() ctx: AppContext,
  ): Promise<RefreshPredictionsPayload> {
    return { competition, ...(await ctx.services.predictions.refreshCompetition(competition)) };
  }

  @FieldResolver(() => Match)
  match(@Root() prediction: Prediction, @Ctx() ctx: AppContext): Promise<Match> {
    return loadRequired(ctx.loaders.matchById, prediction.match.id, 'Match');
  }
}
