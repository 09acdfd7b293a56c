import { Check, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, Int, ObjectType } from 'type-graphql';
import { Team } from '../teams/team.entity';
import { MatchEventType } from './match.enums';
import { Match } from './match.entity';

@ObjectType({
  simpleResolvers: true,
  description: 'Something that happened in a match: a goal, a card, a substitution, a whistle.',
  implements: Node,
})
@Entity({ tableName: 'match_event' })
@Unique({ name: 'match_event_source_external_id_unique', properties: ['source', 'externalId'] })
@Check({ name: 'match_event_minute_range', expression: 'minute >= 0 and minute <= 150' })
export class MatchEvent extends Node {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Match, { ref: true, deleteRule: 'cascade', index: true })
  match!: Ref<Match>;

  @Field(() => MatchEventType)
  @Enum({ items: () => MatchEventType, type: 'string', length: 24 })
  type!: MatchEventType;

  @Field(() => Int)
  @Property({ type: 'integer' })
  minute!: number;

  @ManyToOne(() => Team, { ref: true, nullable: true })
  team?: Ref<Team> | null;

  @Field(() => Int, { nullable: true, description: 'Stoppage minutes an ADDED_TIME event announces.' })
  @Property({ type: 'integer', nullable: true })
  addedMinutes?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "What the feed says beside the type: a player's name, a VAR review's outcome.",
  })
  @Property({ type: 'string', length: 200, nullable: true })
  detail?: string | null;

  /** When it was taken back (a goal ruled out, a card rescinded); it then counts for nothing. */
  @Field(() => Date, {
    nullable: true,
    description: 'When the event was cancelled (cancelMatchEvent): it then counts for nothing.',
  })
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;

  /** When an operator last changed it; its key then answers DUPLICATE with it, whatever a re-delivery says. */
  @Field(() => Date, {
    nullable: true,
    description: 'When the event was last corrected (correctMatchEvent), if ever.',
  })
  @Property({ type: 'datetime', nullable: true })
  correctedAt?: Date | null;

  /** Data feed the event came from; with externalId it makes ingest idempotent. */
  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  source!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 128 })
  externalId!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
