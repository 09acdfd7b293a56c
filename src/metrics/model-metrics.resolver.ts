import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../context';
import { modelMetrics } from './model-metrics.service';
import { ModelMetrics, type CalibrationBin } from './model-metrics.types';

@Resolver()
export class ModelMetricsResolver {
  @Query(() => ModelMetrics, { description: 'How well a model’s stored predictions did on finished matches.' })
  async modelMetrics(
    @Arg('model', () => String) model: string,
    @Arg('competition', () => String) competition: string,
    @Arg('season', () => String, { nullable: true }) season: string | undefined,
    @Arg('modelVersion', () => String, { nullable: true }) modelVersion: string | undefined,
    @Ctx() ctx: AppContext,
  ): Promise<ModelMetrics> {
    const result = await modelMetrics(ctx.em, { model, competition, season, modelVersion });
    return {
      model,
      modelVersion: modelVersion ?? null,
      competition,
      season: season ?? null,
      ...result,
      calibration: result.calibration as CalibrationBin[],
    };
  }
}
