import { Field, ID, InputType, Int, InterfaceType, ObjectType } from 'type-graphql';
import { Match } from '../matches/match.entity';
import { MatchEvent } from '../matches/match-event.entity';
import { Odds } from '../matches/odds.entity';
import { Prediction } from '../predictions/prediction.entity';

/** The GraphQL type of an update is its class's. */
export const typeOfUpdate = (value: object) => (value.constructor as { name: string }).name;

@InterfaceType('LiveUpdate', {
  description:
    "One update of a match's live feed. Switch on `__typename`; `sequence` counts the match's updates " +
    '(1, 2, 3, … with no gap), so pass the last one seen per match to `liveFeed(since:)` when reconnecting.',
  resolveType: typeOfUpdate,
})
export abstract class LiveFeedUpdate {
  @Field(() => Int, { description: "The update's place in its match's feed: one more than the one before." })
  sequence!: number;

  @Field(() => Date, { description: 'When the change was committed.' })
  at!: Date;

  @Field(() => Match, { description: 'The match after the change: status, minute and score.' })
  match!: Match;
}

@ObjectType({ implements: LiveFeedUpdate, description: 'An event was recorded (ingested once).' })
export class MatchEventRecorded extends LiveFeedUpdate {
  @Field(() => MatchEvent)
  event!: MatchEvent;

  @Field(() => Prediction, {
    nullable: true,
    description: 'The in-play prediction the event produced (none before kick-off or after the final whistle).',
  })
  prediction!: Prediction | null;
}

@ObjectType({
  implements: LiveFeedUpdate,
  description: 'An event was cancelled or corrected; the match was replayed from the events that remain.',
})
export class MatchEventCorrected extends LiveFeedUpdate {
  @Field(() => MatchEvent, { description: 'The event as it now stands (`cancelledAt` set when cancelled).' })
  event!: MatchEvent;

  @Field(() => Boolean)
  cancelled!: boolean;

  @Field(() => Prediction, { nullable: true, description: 'The in-play prediction made after the replay.' })
  prediction!: Prediction | null;
}

@ObjectType({
  implements: LiveFeedUpdate,
  description: 'The match itself changed (status or kick-off set by an operator, not by an event).',
})
export class MatchChanged extends LiveFeedUpdate {}

@ObjectType({ implements: LiveFeedUpdate, description: "A bookmaker's prices for the match were ingested." })
export class PricesMoved extends LiveFeedUpdate {
  @Field(() => [Odds], { description: 'The prices stored, one per bookmaker, market and line.' })
  odds!: Odds[];
}

/** At most this many IDs in each list of a filter, and positions in `since`. */
export const MAX_LIVE_FEED_IDS = 500;

@InputType({
  description:
    'Which matches a live feed follows: those of any listed competition, team or match, or on your ' +
    'watchlist. With nothing listed: every match. Matches that kick off later are included as they do.',
})
export class LiveFeedFilter {
  @Field(() => [ID], { nullable: true })
  competitions?: string[] | null;

  @Field(() => [ID], { nullable: true })
  teams?: string[] | null;

  @Field(() => [ID], { nullable: true })
  matches?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Also the teams, matches and competitions on your tenant's watchlist, as it changes.",
  })
  watchlist?: boolean | null;
}

@InputType({ description: 'The last update a client saw of one match.' })
export class LiveFeedPosition {
  @Field(() => ID)
  match!: string;

  @Field(() => Int)
  sequence!: number;
}

@InputType({
  description:
    'Where a reconnecting client was: what it missed is sent first (from the database), then the live ' +
    'stream, with no gap and no repeat.',
})
export class LiveFeedSince {
  @Field(() => [LiveFeedPosition], { description: 'The last sequence seen of each match that had updates.' })
  positions!: LiveFeedPosition[];

  @Field(() => Date, {
    nullable: true,
    description:
      "The `at` of the last update received: other matches' updates after it are sent too (a match that " +
      'kicked off while the client was away).',
  })
  after?: Date | null;
}
