import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { idOf } from '../../common/global-id';
import type { AppContext } from '../../context';
import { MAX_EVENTS_PER_BATCH, type BatchItem } from '../ingest/event-batch';
import type { NewOdds } from './odds-ingest.service';
import { IngestOddsInput, IngestOddsPayload } from './odds-ingest.types';

@Resolver()
export class OddsIngestResolver {
  @Mutation(() => IngestOddsPayload, {
    description: `Stores up to ${MAX_EVENTS_PER_BATCH} bookmaker prices, each once per match, bookmaker, market, line and time. A price newer than the market's current one that differs from it is a price move: \`Match.latestOdds\`, edges and alert rules use it, and \`liveFeed\` pushes \`PricesMoved\`. A price that cannot be stored is REJECTED with its code while the others are. Needs the OPERATOR or INGEST scope.`,
  })
  ingestOdds(
    @Arg('prices', () => [IngestOddsInput]) prices: IngestOddsInput[],
    @Ctx() ctx: AppContext,
  ): Promise<IngestOddsPayload> {
    return ctx.services.odds.ingest(prices.map((input, index) => oddsItemOf(index, input)));
  }
}

/** A price of a batch; a bad match id rejects that price only. */
export function oddsItemOf(index: number, input: Omit<NewOdds, 'matchId'> & { matchId: string }): BatchItem<NewOdds> {
  try {
    const matchId = idOf('Match', input.matchId, 'matchId');
    return { index, matchId, input: { ...input, matchId } };
  } catch (error) {
    return { index, error };
  }
}
