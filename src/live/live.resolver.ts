import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { idOf } from '../common/global-id';
import type { AppContext } from '../context';
import { UnauthenticatedError } from '../errors';
import { Match } from '../matches/match.entity';
import { Prediction } from '../predictions/prediction.entity';
import { Topic, type MatchUpdatedPayload, type PredictionUpdatedPayload } from '../pubsub/topics';
import { matchOfEvent, predictionOfEvent } from './live.payloads';

// Runs at subscribe time, before any event: graphql-shield only guards the per-event resolve.
// Over WebSocket this runs once per subscription group (see subscription-groups.ts).
async function subscribedMatchId({
  args,
  context,
}: SubscribeResolverData<unknown, { matchId: string }, AppContext>): Promise<number> {
  if (!context.principal) throw new UnauthenticatedError(context.authFailure ?? undefined);
  const matchId = idOf('Match', args.matchId, 'matchId');
  await context.services.matches.getById(matchId); // NOT_FOUND for a match that does not exist
  return matchId;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => Match, {
    description: 'The match each time its status, score or schedule changes.',
    subscribe: async (data: SubscribeResolverData<unknown, { matchId: string }, AppContext>) =>
      data.context.pubSub.subscribe(Topic.MATCH_UPDATED, await subscribedMatchId(data)),
  })
  matchUpdated(
    @Root() snapshot: MatchUpdatedPayload,
    @Arg('matchId', () => ID) _matchId: string,
    @Ctx() ctx: AppContext,
  ): Match {
    return matchOfEvent(ctx, snapshot);
  }

  @Subscription(() => Prediction, {
    description: 'Each new prediction for the match, e.g. in-play updates after an event.',
    subscribe: async (data: SubscribeResolverData<unknown, { matchId: string }, AppContext>) =>
      data.context.pubSub.subscribe(Topic.PREDICTION_UPDATED, await subscribedMatchId(data)),
  })
  predictionUpdated(
    @Root() payload: PredictionUpdatedPayload,
    @Arg('matchId', () => ID) _matchId: string,
    @Ctx() ctx: AppContext,
  ): Promise<Prediction> {
    return predictionOfEvent(ctx, payload);
  }
}
