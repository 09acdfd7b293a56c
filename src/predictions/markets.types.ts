import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'Probability of more or fewer total goals than `line`.' })
export class OverUnderLine {
  @Field(() => Float)
  line!: number;

  @Field(() => Float)
  over!: number;

  @Field(() => Float)
  under!: number;
}

@ObjectType({ simpleResolvers: true })
export class BothTeamsToScore {
  @Field(() => Float)
  yes!: number;

  @Field(() => Float)
  no!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Asian handicap at a home `line`: home covers, push (whole lines), away covers.',
})
export class HandicapLine {
  @Field(() => Float)
  line!: number;

  @Field(() => Float)
  home!: number;

  @Field(() => Float)
  push!: number;

  @Field(() => Float)
  away!: number;
}

@ObjectType({ simpleResolvers: true })
export class ScoreProbability {
  @Field(() => Int)
  homeGoals!: number;

  @Field(() => Int)
  awayGoals!: number;

  @Field(() => Float)
  probability!: number;
}

@ObjectType('PredictionMarkets', {
  simpleResolvers: true,
  description: 'Markets derived from the score distribution behind a prediction.',
})
export class PredictionMarketsType {
  @Field(() => [OverUnderLine])
  overUnder!: OverUnderLine[];

  @Field(() => BothTeamsToScore)
  bothTeamsToScore!: BothTeamsToScore;

  @Field(() => [HandicapLine])
  asianHandicap!: HandicapLine[];

  @Field(() => [ScoreProbability], { description: 'Most likely exact scores, most likely first.' })
  topScores!: ScoreProbability[];
}
