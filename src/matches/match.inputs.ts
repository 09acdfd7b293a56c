import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MatchEventType, MatchStatus } from './match.enums';

@InputType()
export class MatchFilter {
  @Field(() => String, { nullable: true, description: 'Competition code, e.g. `premier-league`.' })
  @MaxLength(64)
  competition?: string;

  @Field(() => String, { nullable: true, description: 'Season label, e.g. `2023/24`.' })
  @MaxLength(16)
  season?: string;

  @Field(() => ID, { nullable: true, description: 'Matches where this team plays, home or away.' })
  team?: string;

  @Field(() => MatchStatus, { nullable: true })
  status?: MatchStatus;

  @Field(() => Date, { nullable: true, description: 'Kick-off at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Kick-off before this time.' })
  to?: Date;
}

@InputType()
export class CreateMatchInput {
  @Field(() => ID)
  seasonId!: string;

  @Field(() => ID)
  homeTeamId!: string;

  @Field(() => ID)
  awayTeamId!: string;

  @Field(() => Date)
  kickoff!: Date;
}

@InputType()
export class UpdateMatchInput {
  @Field(() => Date, { nullable: true })
  kickoff?: Date;

  @Field(() => MatchStatus, {
    nullable: true,
    description: 'Only SCHEDULED, POSTPONED or CANCELLED; live states follow from recorded events.',
  })
  status?: MatchStatus;
}

@InputType()
export class RecordMatchEventInput {
  @Field(() => ID)
  matchId!: string;

  @Field(() => MatchEventType)
  type!: MatchEventType;

  @Field(() => Int, { description: 'Minute of play, 0–150 (stoppage time counts on).' })
  @Min(0)
  @Max(150)
  minute!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'Team the event belongs to; required for goals, cards, substitutions and penalties.',
  })
  @IsOptional()
  teamId?: string;

  @Field(() => Int, { nullable: true, description: 'For ADDED_TIME: the stoppage minutes announced (1–30).' })
  @IsOptional()
  addedMinutes?: number;

  @Field(() => String, {
    nullable: true,
    description: "A player's name, a VAR review's outcome; at most 200 characters.",
  })
  @IsOptional()
  @MaxLength(200)
  detail?: string;

  @Field(() => String, { defaultValue: 'api', description: 'Feed the event comes from.' })
  @Length(1, 64)
  source!: string;

  @Field(() => String, {
    description: 'Id of the event in its source; recording the same (source, externalId) twice changes nothing.',
  })
  @Length(1, 128)
  externalId!: string;
}

@InputType({ description: 'What to change of a recorded event; fields left out stay as they are.' })
export class CorrectMatchEventInput {
  @Field(() => MatchEventType, { nullable: true })
  type?: MatchEventType;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(150)
  minute?: number;

  @Field(() => ID, { nullable: true, description: "The team the event belongs to (the wrong scorer's team fixed)." })
  @IsOptional()
  teamId?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  addedMinutes?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  detail?: string;
}
