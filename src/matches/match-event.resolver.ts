import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { idOf } from '../common/global-id';
import type { AppContext } from '../context';
import { Team } from '../teams/team.entity';
import { MatchEvent } from './match-event.entity';
import { RecordMatchEventInput } from './match.inputs';
import { RecordMatchEventPayload } from './match.types';

@Resolver(() => MatchEvent)
export class MatchEventResolver {
  @Mutation(() => RecordMatchEventPayload, {
    description: 'Records a match event once; status and score follow. Needs the OPERATOR or INGEST scope.',
  })
  recordMatchEvent(
    @Arg('input', () => RecordMatchEventInput) input: RecordMatchEventInput,
    @Ctx() ctx: AppContext,
  ): Promise<RecordMatchEventPayload> {
    return ctx.services.matches.recordEvent({
      matchId: idOf('Match', input.matchId, 'matchId'),
      type: input.type,
      minute: input.minute,
      teamId: input.teamId ? idOf('Team', input.teamId, 'teamId') : undefined,
      addedMinutes: input.addedMinutes,
      detail: input.detail,
      source: input.source,
      externalId: input.externalId,
    });
  }

  @FieldResolver(() => Team, { nullable: true })
  async team(@Root() event: MatchEvent, @Ctx() ctx: AppContext): Promise<Team | null> {
    return event.team ? ctx.loaders.teamById.load(event.team.id) : null;
  }
}
