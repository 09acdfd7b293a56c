import { Check, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { CustomModel } from '../custom-models/custom-model.entity';
import { Match } from '../matches/match.entity';
import { Tenant } from '../tenants/tenant.entity';
import type { PredictionMarkets } from './markets';
import { PredictionMarketsType } from './markets.types';

@ObjectType({
  simpleResolvers: true,
  description: "A model's forecast for a match, before kick-off or in play.",
  implements: Node,
})
@Entity({ tableName: 'prediction' })
@Index({ name: 'prediction_match_created_at_index', properties: ['match', 'createdAt'] })
// Expressions in PostgreSQL's own normalised form, so schema diffs compare equal.
@Check({
  name: 'prediction_probabilities_valid',
  expression:
    '((home_win >= (0)::double precision) AND (home_win <= (1)::double precision)) AND ' +
    '((draw >= (0)::double precision) AND (draw <= (1)::double precision)) AND ' +
    '((away_win >= (0)::double precision) AND (away_win <= (1)::double precision)) AND ' +
    '(abs((((home_win + draw) + away_win) - (1)::double precision)) < (0.000001)::double precision)',
})
@Check({
  name: 'prediction_expected_goals_non_negative',
  expression: '(expected_home_goals >= (0)::double precision) AND (expected_away_goals >= (0)::double precision)',
})
@Check({
  name: 'prediction_custom_model_has_tenant',
  expression: '(tenant_id is null) = (custom_model_id is null)',
})
@Check({
  name: 'prediction_in_play_minute_range',
  expression: 'in_play_minute is null or (in_play_minute >= 0 and in_play_minute <= 150)',
})
export class Prediction extends Node {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Match, { ref: true, deleteRule: 'cascade' })
  match!: Ref<Match>;

  /** Set for a tenant's custom model's prediction: private to that tenant. Null: the platform's. */
  @ManyToOne(() => Tenant, { ref: true, nullable: true, deleteRule: 'cascade' })
  tenant?: Ref<Tenant> | null;

  @ManyToOne(() => CustomModel, { ref: true, nullable: true, deleteRule: 'cascade', index: true })
  customModel?: Ref<CustomModel> | null;

  @Field(() => String, { description: 'Model name, e.g. `dixon-coles`.' })
  @Property({ type: 'string', length: 64 })
  modelName!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  modelVersion!: string;

  @Field(() => Float, { description: 'Probability of a home win.' })
  @Property({ type: 'double' })
  homeWin!: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  draw!: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  awayWin!: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  expectedHomeGoals!: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  expectedAwayGoals!: number;

  @Field(() => Int, { nullable: true, description: 'Match minute for in-play predictions; null before kick-off.' })
  @Property({ type: 'integer', nullable: true })
  inPlayMinute?: number | null;

  /**
   * Parameters of the score grid behind the markets (goal rates and Dixon-Coles rho), so an
   * in-play model can start from exactly this forecast. Not exposed: an implementation detail.
   */
  @Property({ type: 'double', nullable: true })
  gridHomeRate?: number | null;

  @Property({ type: 'double', nullable: true })
  gridAwayRate?: number | null;

  @Property({ type: 'double', nullable: true })
  gridRho?: number | null;

  @Field(() => PredictionMarketsType, { nullable: true, description: 'Markets from the same score distribution.' })
  @Property({ type: 'json', nullable: true })
  markets?: PredictionMarkets | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
