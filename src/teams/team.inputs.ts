import { Field, InputType } from 'type-graphql';

@InputType()
export class TeamFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name or short name.' })
  search?: string;

  @Field(() => String, { nullable: true, description: 'Teams with a match in this competition (code).' })
  competition?: string;
}
