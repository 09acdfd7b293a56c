import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MatchEvent } from '../match-event.entity';
import type { IngestOutcomeKind } from './event-batch';

export enum IngestOutcome {
  RECORDED = 'RECORDED',
  DUPLICATE = 'DUPLICATE',
  REJECTED = 'REJECTED',
}

registerEnumType(IngestOutcome, {
  name: 'IngestOutcome',
  description:
    'RECORDED: stored now. DUPLICATE: this (source, externalId) was stored before; nothing changed. REJECTED: not stored (see `error`).',
});

@ObjectType({ simpleResolvers: true, description: 'Why an ingested item was not stored.' })
export class IngestError {
  @Field(() => String, {
    description:
      'As `extensions.code` of GraphQL errors: NOT_FOUND (no such match), INVALID_STATE (the match does not allow it, e.g. a goal after full time), OUT_OF_ORDER (far behind the match clock), BAD_USER_INPUT (e.g. a team not in the match), CONFLICT (the key names another event).',
  })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What became of one event of a batch.' })
export class IngestedMatchEvent {
  @Field(() => Int, { description: 'Position of the event in the batch, from 0.' })
  index!: number;

  @Field(() => IngestOutcome)
  outcome!: IngestOutcomeKind;

  @Field(() => MatchEvent, { nullable: true, description: 'The stored event (the earlier one for a DUPLICATE).' })
  event!: MatchEvent | null;

  @Field(() => IngestError, { nullable: true })
  error!: IngestError | null;
}

/** The counts every ingest answer carries beside its results. */
@ObjectType()
export abstract class IngestCounts {
  @Field(() => Int)
  recorded!: number;

  @Field(() => Int)
  duplicates!: number;

  @Field(() => Int)
  rejected!: number;
}

@ObjectType({ simpleResolvers: true })
export class IngestMatchEventsPayload extends IngestCounts {
  @Field(() => [IngestedMatchEvent], { description: 'One per event, in the order sent.' })
  results!: IngestedMatchEvent[];
}
