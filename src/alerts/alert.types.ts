import { Field, Float, ObjectType } from 'type-graphql';
import { Outcome } from './alert.enums';

/** What made a rule fire, as stored with the alert. */
@ObjectType({ simpleResolvers: true, description: 'The values that made a rule fire.' })
export class AlertValues {
  @Field(() => Outcome, { description: 'The 1X2 outcome the rule looked at (for an edge: the best one).' })
  outcome!: Outcome;

  @Field(() => Float, { description: "The new prediction's probability of that outcome." })
  probability!: number;

  @Field(() => Float, {
    nullable: true,
    description: '*_ABOVE kinds: the previous prediction’s probability (null when there was none).',
  })
  previousProbability?: number | null;

  @Field(() => Float, { nullable: true, description: 'EDGE_OVER_BEST_PRICE: the best decimal price of the outcome.' })
  price?: number | null;

  @Field(() => String, { nullable: true, description: 'EDGE_OVER_BEST_PRICE: the bookmaker offering that price.' })
  bookmaker?: string | null;

  @Field(() => Float, { nullable: true, description: 'EDGE_OVER_BEST_PRICE: probability × price − 1.' })
  edge?: number | null;
}
