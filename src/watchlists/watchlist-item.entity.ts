import {
  Check,
  Entity,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { Competition } from '../competitions/competition.entity';
import { Match } from '../matches/match.entity';
import { Team } from '../teams/team.entity';
import { Tenant } from '../tenants/tenant.entity';

/**
 * A team, match or competition a tenant follows (exactly one of them). Private to the tenant:
 * every read and write is scoped by `tenant`.
 */
@ObjectType({
  simpleResolvers: true,
  description: 'A team, match or competition your tenant follows; exactly one of the three is set.',
  implements: Node,
})
@Entity({ tableName: 'watchlist_item' })
@Unique({ properties: ['tenant', 'team'] })
@Unique({ properties: ['tenant', 'match'] })
@Unique({ properties: ['tenant', 'competition'] })
// Alert evaluation looks tenants up by what they watch.
@Index({ properties: ['team'] })
@Index({ properties: ['match'] })
@Index({ properties: ['competition'] })
@Check({ name: 'watchlist_item_one_target', expression: 'num_nonnulls(team_id, match_id, competition_id) = 1' })
export class WatchlistItem extends Node {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Tenant, { ref: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Team, { ref: true, nullable: true, deleteRule: 'cascade' })
  team?: Ref<Team> | null;

  @ManyToOne(() => Match, { ref: true, nullable: true, deleteRule: 'cascade' })
  match?: Ref<Match> | null;

  @ManyToOne(() => Competition, { ref: true, nullable: true, deleteRule: 'cascade' })
  competition?: Ref<Competition> | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
