import {
  ArrayType,
  Check,
  Entity,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { Tenant } from '../tenants/tenant.entity';

/**
 * A tenant's own ensemble: a weighted pool of the platform's base models, optionally with its
 * own Dixon-Coles time decay. Its predictions are stored for, and served to, that tenant only.
 */
@ObjectType({
  simpleResolvers: true,
  description:
    "Your tenant's own ensemble of the platform's base models; its predictions appear in `Match.predictions` for your tenant only.",
  implements: Node,
})
@Entity({ tableName: 'custom_model' })
@Unique({ properties: ['tenant', 'name'] })
@Check({
  name: 'custom_model_weights_match_models',
  expression: 'cardinality(base_models) > 0 and cardinality(base_models) = cardinality(weights)',
})
export class CustomModel extends Node {
  [OptionalProps]?: 'revision' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Tenant, { ref: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  @Field(() => String, { description: 'Unique in your tenant; its predictions carry it as `custom/<name>`.' })
  @Property({ type: 'string', length: 64 })
  name!: string;

  @Field(() => [String], { description: 'Base models pooled, e.g. `dixon-coles`, `elo`.' })
  @Property({ type: 'text[]' })
  baseModels!: string[];

  @Field(() => [Float], { description: 'Weight of each base model, in the same order (normalised to sum to 1).' })
  @Property({ type: new ArrayType((item) => Number(item)), columnType: 'double precision[]' })
  weights!: number[];

  @Field(() => Float, {
    nullable: true,
    description:
      "Half-life in days of the time decay of this model's own Dixon-Coles fit; null: the platform's Dixon-Coles.",
  })
  @Property({ type: 'double', nullable: true })
  timeDecayHalfLifeDays?: number | null;

  @Field(() => Int, { description: 'Raised by every update; predictions carry it as their model version `r<n>`.' })
  @Property({ type: 'integer', default: 1 })
  revision: number = 1;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
