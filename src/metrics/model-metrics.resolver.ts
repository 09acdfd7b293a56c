import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../context';
import { registeredModels } from '../predictions/model-registry';
import { modelMetrics } from './model-metrics.service';
import { ModelMetrics, type CalibrationBin } from './model-metrics.types';

@Resolver()
export class ModelMetricsResolver {
  @Query(() => ModelMetrics, { description: 'How well a model’s stored predictions did on finished matches.' })
  async modelMetrics(
    @Arg('model', () => String) model: string,
    @Arg('competition', () => String) competition: string,
    @Arg('season', () => String, { nullable: true }) season: string | undefined,
    @Arg('modelVersion', () => String, {
      nullable: true,
      description: 'Default: the version the service predicts with now (all versions for unregistered models).',
    })
    modelVersion: string | undefined,
    @Ctx() ctx: AppContext,
  ): Promise<ModelMetrics> {
    // By default, score the version in service now: versions are different models.
    const version = modelVersion ?? currentVersion(model);
    const result = await modelMetrics(ctx.em, { model, competition, season, modelVersion: version });
    return {
      model,
      modelVersion: version ?? null,
      competition,
      season: season ?? null,
      ...result,
      calibration: result.calibration as CalibrationBin[],
    };
  }
}

function currentVersion(model: string): string | undefined {
  return registeredModels().find((m) => m.name === model)?.version;
}
