import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Match } from '../matches/match.entity';

/**
 * One update of a match's live feed, stored in the transaction that caused it: its `seq` is the
 * match's next, gap-free (the match's row lock serialises writers), so a client that reconnects
 * is sent what it missed from here (see live-feed.stream.ts).
 */
@Entity({ tableName: 'live_update' })
@Index({ name: 'live_update_created_at_index', properties: ['createdAt'] })
export class LiveUpdateRecord {
  @ManyToOne(() => Match, { primary: true, ref: true, deleteRule: 'cascade' })
  match!: Ref<Match>;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  /** The match's competition, denormalised: a competition filter needs no join. */
  @Property({ type: 'integer' })
  competitionId!: number;

  @Property({ type: 'string', length: 24 })
  kind!: string;

  @Property({ type: 'json' })
  payload!: unknown;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
