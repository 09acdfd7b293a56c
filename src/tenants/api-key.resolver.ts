import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { idOf } from '../common/global-id';
import type { AppContext } from '../context';
import { CreateApiKeyInput } from './tenant.inputs';
import { ApiKeyType, CreateApiKeyPayload } from './tenant.types';

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  @Mutation(() => CreateApiKeyPayload, {
    description: 'A new key acting as you; its secret is in this answer only. Needs ADMIN.',
  })
  createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: AppContext,
  ): Promise<CreateApiKeyPayload> {
    return ctx.services.tenants.createApiKey({ ...input });
  }

  @Mutation(() => ApiKeyType, {
    description:
      "Revokes a key of your tenant, at once on every server. Needs ADMIN; another ADMIN's or an OWNER's key needs OWNER (your own keys you may always revoke).",
  })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<ApiKeyType> {
    return ctx.services.tenants.revokeApiKey(idOf('ApiKey', id));
  }
}
