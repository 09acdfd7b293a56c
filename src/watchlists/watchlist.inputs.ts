import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'What to follow: exactly one of teamId, matchId and competitionId.' })
export class WatchInput {
  @Field(() => ID, { nullable: true })
  teamId?: string;

  @Field(() => ID, { nullable: true })
  matchId?: string;

  @Field(() => ID, { nullable: true })
  competitionId?: string;
}
