import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, Float, ObjectType } from 'type-graphql';
import { OddsMarket } from './match.enums';
import { Match } from './match.entity';

@ObjectType({
  simpleResolvers: true,
  description: "A bookmaker's decimal prices for one market of a match.",
  implements: Node,
})
@Entity({ tableName: 'odds' })
// One row per price a bookmaker gave at one time (imported rows have no time: one opening and one
// closing row each). Nulls not distinct: a re-import updates its rows instead of adding more.
@Unique({
  name: 'odds_price_unique',
  expression:
    'create unique index "odds_price_unique" on "odds" ("match_id", "bookmaker", "market", "line", "closing", "taken_at") nulls not distinct',
})
@Check({
  name: 'odds_prices_valid',
  expression:
    "(jsonb_typeof(prices) = 'array'::text) AND ((jsonb_array_length(prices) >= 2) AND (jsonb_array_length(prices) <= 3))",
})
export class Odds extends Node {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Match, { ref: true, deleteRule: 'cascade', index: true })
  match!: Ref<Match>;

  @Field(() => String, { description: 'e.g. `pinnacle`, `bet365`, `market-average`.' })
  @Property({ type: 'string', length: 64 })
  bookmaker!: string;

  @Field(() => OddsMarket)
  @Enum({ items: () => OddsMarket, type: 'string', length: 16 })
  market!: OddsMarket;

  @Field(() => Float, { description: 'Goal line (OVER_UNDER) or home handicap; 0 for ONE_X_TWO.' })
  @Property({ type: 'double' })
  line: number = 0;

  @Field(() => [Float], { description: 'Decimal prices in the order the market defines.' })
  @Property({ type: 'json' })
  prices!: number[];

  @Field(() => Date, { nullable: true, description: 'When the prices were taken, if known.' })
  @Property({ type: 'datetime', nullable: true })
  takenAt?: Date | null;

  @Field(() => Boolean, { description: 'Closing line: the last prices before kick-off.' })
  @Property({ type: 'boolean' })
  closing: boolean = false;
}
