import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'A league or cup, e.g. the Premier League.', implements: Node })
@Entity({ tableName: 'competition' })
export class Competition extends Node {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: 'Stable slug, e.g. `premier-league`.' })
  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 128 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  country!: string;
}
