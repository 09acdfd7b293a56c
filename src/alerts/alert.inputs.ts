import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { AlertKind } from './alert.enums';

@InputType({
  description: 'Which matches a rule applies to: exactly one of matchId, teamId, competitionId, or `watchlist: true`.',
})
export class AlertScopeInput {
  @Field(() => ID, { nullable: true })
  matchId?: string;

  @Field(() => ID, { nullable: true })
  teamId?: string;

  @Field(() => ID, { nullable: true })
  competitionId?: string;

  @Field(() => Boolean, { nullable: true, description: "Every match your tenant's watchlist covers." })
  watchlist?: boolean;
}

@InputType()
export class CreateAlertRuleInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(128)
  name?: string;

  @Field(() => AlertKind)
  kind!: AlertKind;

  @Field(() => Float, {
    description:
      'A probability (0–1, exclusive) for the *_ABOVE kinds; an edge (0–10, e.g. 0.05) for EDGE_OVER_BEST_PRICE.',
  })
  threshold!: number;

  @Field(() => AlertScopeInput)
  scope!: AlertScopeInput;

  @Field(() => String, {
    nullable: true,
    description: "Only this model's predictions (e.g. `ensemble`, `in-play`); omitted: every new prediction.",
  })
  @IsOptional()
  @Length(1, 64)
  modelName?: string;
}

@InputType({ description: 'What to change; omitted fields stay as they are.' })
export class UpdateAlertRuleInput {
  @Field(() => String, { nullable: true, description: 'A new label; null removes it.' })
  @IsOptional()
  @MaxLength(128)
  name?: string | null;

  @Field(() => Float, { nullable: true })
  threshold?: number;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;
}
