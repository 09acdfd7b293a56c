import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'A football club.', implements: Node })
@Entity({ tableName: 'team' })
export class Team extends Node {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 128 })
  @Unique()
  name!: string;

  @Field(() => String, { description: 'Short display name, e.g. `Man City`.' })
  @Property({ type: 'string', length: 64 })
  shortName!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  country?: string | null;
}
