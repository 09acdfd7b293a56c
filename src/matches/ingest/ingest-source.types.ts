import { Field, ObjectType } from 'type-graphql';

@ObjectType('IngestSource', {
  simpleResolvers: true,
  description: 'A data feed allowed to post events to `POST /ingest/events`, signing them with its secret.',
})
export class IngestSourceType {
  @Field(() => String, {
    description: "The `source` of the events it posts, and the webhook's Matchcast-Source header.",
  })
  name!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { description: 'When its current secret was made.' })
  secretRotatedAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class IngestSourceSecretPayload {
  @Field(() => IngestSourceType)
  source!: IngestSourceType;

  @Field(() => String, {
    description: 'The signing secret, shown this once: give it to the provider. A new one replaces the old at once.',
  })
  secret!: string;
}
