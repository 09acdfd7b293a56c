import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { validateSync } from 'class-validator';
import { idOf } from '../common/global-id';
import { BadUserInputError, flattenValidation, ForbiddenError } from '../errors';
import type { AppContext } from '../context';
import { Team } from '../teams/team.entity';
import { MatchEvent } from './match-event.entity';
import { CorrectMatchEventInput, RecordMatchEventInput } from './match.inputs';
import { RecordMatchEventPayload } from './match.types';
import type { NewMatchEvent } from './match.service';
import { MAX_EVENTS_PER_BATCH, type BatchItem } from './ingest/event-batch';
import { IngestMatchEventsPayload } from './ingest/ingest.types';

@Resolver(() => MatchEvent)
export class MatchEventResolver {
  @Mutation(() => RecordMatchEventPayload, {
    description: 'Records a match event once; status and score follow. Needs the OPERATOR or INGEST scope.',
  })
  async recordMatchEvent(
    @Arg('input', () => RecordMatchEventInput) input: RecordMatchEventInput,
    @Ctx() ctx: AppContext,
  ): Promise<RecordMatchEventPayload> {
    const event = newMatchEventOf(input);
    await ctx.services.ingestSources.checkUnsigned(input.source);
    return ctx.services.matches.recordEvent(event);
  }

  @Mutation(() => IngestMatchEventsPayload, {
    description: `Records a batch of up to ${MAX_EVENTS_PER_BATCH} events, each once: every match's events in the order sent, each in its own transaction with the match's new state and in-play prediction. An event that cannot be applied is REJECTED with its code while the others are applied; the answer lists every event's outcome. Needs the OPERATOR or INGEST scope.`,
  })
  async ingestMatchEvents(
    // Checked per event below: a bad field rejects that event, as on the webhook, not the batch.
    @Arg('events', () => [RecordMatchEventInput], { validate: false }) events: RecordMatchEventInput[],
    @Ctx() ctx: AppContext,
  ): Promise<IngestMatchEventsPayload> {
    const items = events.map((input, index) => batchItemOf(index, input));
    // Once per source named in the batch: a signed source's events are refused here (FORBIDDEN).
    const refused = new Map<string, unknown>();
    for (const source of new Set(events.map((input) => input.source))) {
      await ctx.services.ingestSources.checkUnsigned(source).catch((error: unknown) => {
        if (!(error instanceof ForbiddenError)) throw error; // the database away: the call fails
        refused.set(source, error);
      });
    }
    const checked = refused.size
      ? items.map((item, index) =>
          refused.has(events[index]!.source) ? { index, error: refused.get(events[index]!.source) } : item,
        )
      : items;
    return ctx.services.matches.ingestEvents(checked);
  }

  @Mutation(() => RecordMatchEventPayload, {
    description:
      "Takes an event back (a goal ruled out by VAR, a card rescinded): the match's score, status and in-play prediction are recomputed from the events that remain, and pushed. The event stays listed with `cancelledAt`. Needs the OPERATOR or INGEST scope; a registered (signed) source's event needs OPERATOR, as its source corrects it through `POST /ingest/corrections`.",
  })
  cancelMatchEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<RecordMatchEventPayload> {
    return ctx.services.matches.correctEvent(idOf('MatchEvent', id), null);
  }

  @Mutation(() => RecordMatchEventPayload, {
    description:
      "Corrects an event (its type, minute, team, detail): the match's score, status and in-play prediction are recomputed from all its events, and pushed. Needs the OPERATOR or INGEST scope; a registered (signed) source's event needs OPERATOR, as its source corrects it through `POST /ingest/corrections`.",
  })
  correctMatchEvent(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CorrectMatchEventInput) input: CorrectMatchEventInput,
    @Ctx() ctx: AppContext,
  ): Promise<RecordMatchEventPayload> {
    return ctx.services.matches.correctEvent(idOf('MatchEvent', id), {
      ...input,
      teamId:
        input.teamId === undefined ? undefined : input.teamId === null ? null : idOf('Team', input.teamId, 'teamId'),
    });
  }

  @FieldResolver(() => Team, { nullable: true })
  async team(@Root() event: MatchEvent, @Ctx() ctx: AppContext): Promise<Team | null> {
    return event.team ? ctx.loaders.teamById.load(event.team.id) : null;
  }
}

function newMatchEventOf(input: RecordMatchEventInput): NewMatchEvent {
  return {
    matchId: idOf('Match', input.matchId, 'matchId'),
    type: input.type,
    minute: input.minute,
    teamId: input.teamId ? idOf('Team', input.teamId, 'teamId') : undefined,
    addedMinutes: input.addedMinutes,
    detail: input.detail,
    source: input.source,
    externalId: input.externalId,
  };
}

/** An event of a batch; a bad id rejects that event only. */
function batchItemOf(index: number, input: RecordMatchEventInput): BatchItem<NewMatchEvent> {
  const invalid = flattenValidation(validateSync(input, { forbidUnknownValues: false }));
  if (invalid.length) return { index, error: new BadUserInputError(invalid.join('; ')) };
  try {
    const event = newMatchEventOf(input);
    return { index, matchId: event.matchId, input: event };
  } catch (error) {
    return { index, error };
  }
}
