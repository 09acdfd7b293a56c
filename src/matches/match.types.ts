import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Prediction } from '../predictions/prediction.entity';
import { MatchEvent } from './match-event.entity';
import { Match } from './match.entity';

export const MatchConnection = ConnectionType('Match', Match);

@ObjectType({ simpleResolvers: true })
export class RecordMatchEventPayload {
  @Field(() => MatchEvent)
  event!: MatchEvent;

  @Field(() => Match, { description: 'The match with status and score after the event.' })
  match!: Match;

  @Field(() => Boolean, {
    description:
      'True when the event was recorded now: false when its (source, externalId) had been recorded before, and for a cancellation or correction.',
  })
  created!: boolean;

  @Field(() => Prediction, {
    nullable: true,
    description: 'The in-play prediction made after this event; null before kick-off and for duplicates.',
  })
  prediction!: Prediction | null;
}
