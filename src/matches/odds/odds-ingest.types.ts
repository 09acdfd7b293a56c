import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { IngestOutcomeKind } from '../ingest/event-batch';
import { IngestCounts, IngestError, IngestOutcome } from '../ingest/ingest.types';
import { OddsMarket } from '../match.enums';
import { Odds } from '../odds.entity';

@InputType({ description: "One bookmaker's decimal prices for one market and line of a match, at one time." })
export class IngestOddsInput {
  @Field(() => ID)
  matchId!: string;

  @Field(() => String, { description: 'e.g. `pinnacle`, `bet365` (1–64 characters).' })
  bookmaker!: string;

  @Field(() => OddsMarket)
  market!: OddsMarket;

  @Field(() => Float, { defaultValue: 0, description: 'Goal line (OVER_UNDER) or home handicap; 0 for ONE_X_TWO.' })
  line!: number;

  @Field(() => [Float], {
    description: 'ONE_X_TWO: home, draw, away. OVER_UNDER: over, under. ASIAN_HANDICAP: home, away.',
  })
  prices!: number[];

  @Field(() => Date, {
    description: 'When the bookmaker offered them: with the other fields, the key that makes ingest idempotent.',
  })
  takenAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'What became of one price of a batch.' })
export class IngestedOdds {
  @Field(() => Int, { description: 'Position in the batch, from 0.' })
  index!: number;

  @Field(() => IngestOutcome)
  outcome!: IngestOutcomeKind;

  @Field(() => Odds, { nullable: true, description: 'The stored prices (the earlier row for a DUPLICATE).' })
  odds!: Odds | null;

  @Field(() => IngestError, { nullable: true })
  error!: IngestError | null;
}

@ObjectType({ simpleResolvers: true })
export class IngestOddsPayload extends IngestCounts {
  @Field(() => [IngestedOdds], { description: 'One per price, in the order sent.' })
  results!: IngestedOdds[];
}
