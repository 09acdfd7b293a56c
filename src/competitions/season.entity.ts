import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, ObjectType } from 'type-graphql';
import { Competition } from './competition.entity';

@ObjectType({
  simpleResolvers: true,
  description: 'One season of a competition, e.g. Premier League 2023/24.',
  implements: Node,
})
@Entity({ tableName: 'season' })
@Unique({ properties: ['competition', 'label'] })
@Check({ name: 'season_dates_ordered', expression: 'end_date >= start_date' })
export class Season extends Node {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Competition, { ref: true, deleteRule: 'cascade' })
  competition!: Ref<Competition>;

  @Field(() => String, { description: 'Season label, e.g. `2023/24`.' })
  @Property({ type: 'string', length: 16 })
  label!: string;

  @Field(() => String, { description: 'First day (ISO date).' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => String, { description: 'Last day (ISO date).' })
  @Property({ type: 'date' })
  endDate!: string;
}
