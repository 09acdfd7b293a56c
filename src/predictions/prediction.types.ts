import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description: 'Walk-forward backtest scores of one model version, beside the closing market.',
})
export class BacktestMetrics {
  @Field(() => String)
  competition!: string;

  @Field(() => String, { description: 'First season, e.g. `2012/13`.' })
  from!: string;

  @Field(() => String)
  to!: string;

  @Field(() => Int)
  matches!: number;

  @Field(() => Float)
  rps!: number;

  @Field(() => Float)
  brier!: number;

  @Field(() => Float)
  logLoss!: number;

  @Field(() => Float)
  accuracy!: number;

  @Field(() => Float)
  ece!: number;

  @Field(() => Float, { description: 'RPS of closing odds (margin removed) on the same matches.' })
  marketRps!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A prediction model and version, as stored with its predictions.' })
export class PredictionModel {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Changes whenever the model’s code or parameters change.' })
  version!: string;

  @Field(() => BacktestMetrics, { nullable: true, description: 'Null when this version has not been backtested.' })
  backtest!: BacktestMetrics | null;
}

@ObjectType({ simpleResolvers: true })
export class RefreshPredictionsPayload {
  @Field(() => String)
  competition!: string;

  @Field(() => Int, { description: 'Upcoming matches predicted.' })
  matches!: number;

  @Field(() => Int, { description: 'Predictions stored (one per model and match).' })
  predictions!: number;
}
