import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { loadRequired } from '../common/loaded';
import type { AppContext } from '../context';
import { CustomModel } from '../custom-models/custom-model.entity';
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

  @FieldResolver(() => CustomModel, {
    nullable: true,
    description: "Your tenant's custom model that made this prediction; null for the platform's models.",
  })
  customModel(@Root() prediction: Prediction, @Ctx() ctx: AppContext): Promise<CustomModel | null> | null {
    return prediction.customModel ? ctx.services.customModels.byId(prediction.customModel.id) : null;
  }

  @FieldResolver(() => Match)
  match(@Root() prediction: Prediction, @Ctx() ctx: AppContext): Promise<Match> {
    return loadRequired(ctx.loaders.matchById, prediction.match.id, 'Match');
  }
}
