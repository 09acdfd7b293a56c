import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, Float, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { Competition } from '../competitions/competition.entity';
import { Match } from '../matches/match.entity';
import { Team } from '../teams/team.entity';
import { Tenant } from '../tenants/tenant.entity';
import { AlertKind, AlertScope } from './alert.enums';

/** A tenant's rule, evaluated on every new prediction of a match in its scope. */
@ObjectType({
  simpleResolvers: true,
  description: 'A rule evaluated on every new prediction of a match in its scope; private to your tenant.',
  implements: Node,
})
@Entity({ tableName: 'alert_rule' })
// Listing a tenant's rules, and the WATCHLIST rules of the tenants watching a match.
@Index({ properties: ['tenant', 'scope'] })
// Candidate rules of a prediction, by its match, either team or its competition.
@Index({ properties: ['match'] })
@Index({ properties: ['team'] })
@Index({ properties: ['competition'] })
@Check({
  name: 'alert_rule_scope_target',
  expression:
    "(scope = 'MATCH' and num_nonnulls(team_id, competition_id) = 0 and match_id is not null) or " +
    "(scope = 'TEAM' and num_nonnulls(match_id, competition_id) = 0 and team_id is not null) or " +
    "(scope = 'COMPETITION' and num_nonnulls(match_id, team_id) = 0 and competition_id is not null) or " +
    "(scope = 'WATCHLIST' and num_nonnulls(match_id, team_id, competition_id) = 0)",
})
// In PostgreSQL's own normalised form, so schema diffs compare equal.
@Check({
  name: 'alert_rule_threshold_range',
  expression:
    "((kind = 'EDGE_OVER_BEST_PRICE'::text) AND (threshold >= (0)::double precision) AND " +
    "(threshold <= (10)::double precision)) OR ((kind <> 'EDGE_OVER_BEST_PRICE'::text) AND " +
    '(threshold > (0)::double precision) AND (threshold < (1)::double precision))',
})
export class AlertRule extends Node {
  [OptionalProps]?: 'enabled' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Tenant, { ref: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  @Field(() => String, { nullable: true, description: 'A label of your choice.' })
  @Property({ type: 'string', length: 128, nullable: true })
  name?: string | null;

  @Field(() => AlertKind)
  @Enum({ items: () => AlertKind, type: 'string', length: 32 })
  kind!: AlertKind;

  @Field(() => Float, {
    description:
      'A probability (0–1, exclusive) for the *_ABOVE kinds; the edge (0–10, e.g. 0.05) for EDGE_OVER_BEST_PRICE.',
  })
  @Property({ type: 'double' })
  threshold!: number;

  @Field(() => AlertScope)
  @Enum({ items: () => AlertScope, type: 'string', length: 16 })
  scope!: AlertScope;

  @ManyToOne(() => Match, { ref: true, nullable: true, deleteRule: 'cascade' })
  match?: Ref<Match> | null;

  @ManyToOne(() => Team, { ref: true, nullable: true, deleteRule: 'cascade' })
  team?: Ref<Team> | null;

  @ManyToOne(() => Competition, { ref: true, nullable: true, deleteRule: 'cascade' })
  competition?: Ref<Competition> | null;

  @Field(() => String, {
    nullable: true,
    description: "Only this model's predictions (e.g. `ensemble`, `in-play`); null: every new prediction.",
  })
  @Property({ type: 'string', length: 64, nullable: true })
  modelName?: string | null;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
