import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { IngestSourceSecretPayload, IngestSourceType } from './ingest-source.types';

@Resolver()
export class IngestSourceResolver {
  @Query(() => [IngestSourceType], { description: 'Feeds allowed to post to the webhook. Needs the OPERATOR scope.' })
  ingestSources(@Ctx() ctx: AppContext): Promise<IngestSourceType[]> {
    return ctx.services.ingestSources.list();
  }

  @Mutation(() => IngestSourceSecretPayload, {
    description: 'Registers a feed for `POST /ingest/events` and makes its signing secret. Needs the OPERATOR scope.',
  })
  createIngestSource(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: AppContext,
  ): Promise<IngestSourceSecretPayload> {
    return ctx.services.ingestSources.create(name);
  }

  @Mutation(() => IngestSourceSecretPayload, {
    description: "Replaces a feed's signing secret; the old one stops verifying at once. Needs the OPERATOR scope.",
  })
  rotateIngestSourceSecret(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: AppContext,
  ): Promise<IngestSourceSecretPayload> {
    return ctx.services.ingestSources.rotate(name);
  }
}
