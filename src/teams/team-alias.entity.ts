import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Team } from './team.entity';

/** Another spelling of a team's name used by a data source (e.g. `Man United`). */
@Entity({ tableName: 'team_alias' })
export class TeamAlias {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Team, { ref: true, deleteRule: 'cascade', index: true })
  team!: Ref<Team>;

  /** Normalised spelling (lower case, single spaces); unique across teams. */
  @Property({ type: 'string', length: 128 })
  @Unique()
  alias!: string;
}
