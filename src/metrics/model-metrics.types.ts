import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ForecastOutcome {
  HOME = 'home',
  DRAW = 'draw',
  AWAY = 'away',
}

registerEnumType(ForecastOutcome, { name: 'ForecastOutcome' });

@ObjectType({
  simpleResolvers: true,
  description: 'Reliability of one outcome’s probabilities within a probability bin.',
})
export class CalibrationBin {
  @Field(() => ForecastOutcome)
  outcome!: ForecastOutcome;

  @Field(() => Float, { description: 'Bin lower edge (inclusive).' })
  lower!: number;

  @Field(() => Float, { description: 'Bin upper edge (exclusive; the last bin includes 1).' })
  upper!: number;

  @Field(() => Float)
  meanPredicted!: number;

  @Field(() => Float)
  observedFrequency!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'Scores of a model’s stored pre-match predictions on finished matches (lower is better, except accuracy). ' +
    'Null when no prediction of the model can be scored yet.',
})
export class ModelMetrics {
  @Field(() => String)
  model!: string;

  @Field(() => String, { nullable: true })
  modelVersion!: string | null;

  @Field(() => String)
  competition!: string;

  @Field(() => String, { nullable: true })
  season!: string | null;

  @Field(() => Int, { description: 'Finished matches with a pre-match prediction of this model.' })
  sampleSize!: number;

  @Field(() => Float, { nullable: true, description: 'Ranked probability score (÷2 convention).' })
  rps!: number | null;

  @Field(() => Float, { nullable: true, description: 'Multi-class Brier score, 0–2.' })
  brier!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean log loss (natural log).' })
  logLoss!: number | null;

  @Field(() => Float, { nullable: true })
  accuracy!: number | null;

  @Field(() => Float, { nullable: true, description: 'Expected calibration error, mean over the three outcomes.' })
  ece!: number | null;

  @Field(() => [CalibrationBin])
  calibration!: CalibrationBin[];
}
