import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { idOf, toGlobalId } from '../common/global-id';
import type { AppContext } from '../context';
import { CustomModel } from './custom-model.entity';
import { CreateCustomModelInput, UpdateCustomModelInput } from './custom-model.inputs';

@Resolver(() => CustomModel)
export class CustomModelResolver {
  @Query(() => [CustomModel], { description: "Your tenant's custom models, oldest first." })
  customModels(@Ctx() ctx: AppContext): Promise<CustomModel[]> {
    return ctx.services.customModels.list();
  }

  @Mutation(() => CustomModel, {
    description:
      "Creates a custom model and stores its predictions for the upcoming matches; at most the plan's limit per tenant. Needs ANALYST.",
  })
  createCustomModel(
    @Arg('input', () => CreateCustomModelInput) input: CreateCustomModelInput,
    @Ctx() ctx: AppContext,
  ): Promise<CustomModel> {
    return ctx.services.customModels.create(input.name, {
      baseModels: input.baseModels,
      weights: input.weights,
      timeDecayHalfLifeDays: input.timeDecayHalfLifeDays ?? null,
    });
  }

  @Mutation(() => CustomModel, {
    description: 'Changes a custom model (a new revision) and replaces its upcoming predictions. Needs ANALYST.',
  })
  updateCustomModel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCustomModelInput) input: UpdateCustomModelInput,
    @Ctx() ctx: AppContext,
  ): Promise<CustomModel> {
    return ctx.services.customModels.update(idOf('CustomModel', id), {
      baseModels: input.baseModels ?? undefined,
      weights: input.weights ?? undefined,
      timeDecayHalfLifeDays: input.timeDecayHalfLifeDays,
    });
  }

  @Mutation(() => ID, { description: 'Deletes a custom model and its predictions; returns its ID. Needs ANALYST.' })
  async deleteCustomModel(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return toGlobalId('CustomModel', await ctx.services.customModels.delete(idOf('CustomModel', id)));
  }
}
