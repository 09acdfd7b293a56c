import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { loadRequired } from '../common/loaded';
import type { AppContext } from '../context';
import { Match } from '../matches/match.entity';
import { Prediction } from './prediction.entity';

@Resolver(() => Prediction)
export class PredictionResolver {
  @FieldResolver(() => Match)
  match(@Root() prediction: Prediction, @Ctx() ctx: AppContext): Promise<Match> {
    return loadRequired(ctx.loaders.matchById, prediction.match.id, 'Match');
  }
}
