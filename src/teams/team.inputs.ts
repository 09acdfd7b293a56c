import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class TeamFilter {
  // A pattern match on every team: a long one costs the database (900,000 characters took 2.4 s).
  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name or short name.' })
  @MaxLength(100)
  search?: string;

  @Field(() => String, { nullable: true, description: 'Teams with a match in this competition (code).' })
  @MaxLength(64)
  competition?: string;
}
