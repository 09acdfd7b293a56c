import {
  Check,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Node } from '../common/node';
import { Field, Int, ObjectType } from 'type-graphql';
import { Season } from '../competitions/season.entity';
import { Team } from '../teams/team.entity';
import { MatchStatus } from './match.enums';

@ObjectType({ simpleResolvers: true, description: 'A fixture between two teams in a season.', implements: Node })
@Entity({ tableName: 'match' })
@Unique({ properties: ['season', 'homeTeam', 'awayTeam'] })
@Index({ properties: ['kickoff'] })
@Index({ properties: ['status', 'kickoff'] })
@Check({ name: 'match_distinct_teams', expression: 'home_team_id <> away_team_id' })
@Check({
  name: 'match_goals_non_negative',
  expression:
    '(home_goals is null or home_goals >= 0) and (away_goals is null or away_goals >= 0) and ' +
    '(half_time_home_goals is null or half_time_home_goals >= 0) and (half_time_away_goals is null or half_time_away_goals >= 0)',
})
@Check({
  name: 'match_shootout_goals_non_negative',
  expression:
    '(home_shootout_goals is null or home_shootout_goals >= 0) and (away_shootout_goals is null or away_shootout_goals >= 0)',
})
@Check({
  name: 'match_shots_valid',
  expression:
    '((home_shots IS NULL) OR (home_shots >= 0)) AND ((away_shots IS NULL) OR (away_shots >= 0)) AND ' +
    '((home_shots_on_target IS NULL) OR (home_shots_on_target >= 0)) AND ((away_shots_on_target IS NULL) OR (away_shots_on_target >= 0))',
})
@Check({ name: 'match_minute_range', expression: 'minute is null or (minute >= 0 and minute <= 150)' })
export class Match extends Node {
  [OptionalProps]?: 'status' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Season, { ref: true, deleteRule: 'cascade', index: true })
  season!: Ref<Season>;

  @ManyToOne(() => Team, { ref: true, index: true })
  homeTeam!: Ref<Team>;

  @ManyToOne(() => Team, { ref: true, index: true })
  awayTeam!: Ref<Team>;

  @Field(() => Date, { description: 'Kick-off time (UTC).' })
  @Property({ type: 'datetime' })
  kickoff!: Date;

  @Field(() => MatchStatus)
  @Enum({ items: () => MatchStatus, type: 'string', length: 16 })
  status: MatchStatus = MatchStatus.SCHEDULED;

  @Field(() => Int, { nullable: true, description: 'Minute of play while live.' })
  @Property({ type: 'integer', nullable: true })
  minute?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  homeGoals?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  awayGoals?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  halfTimeHomeGoals?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  halfTimeAwayGoals?: number | null;

  @Field(() => Int, { nullable: true, description: 'Penalties scored in the shoot-out, if one was played.' })
  @Property({ type: 'integer', nullable: true })
  homeShootoutGoals?: number | null;

  @Field(() => Int, { nullable: true, description: 'Penalties scored in the shoot-out, if one was played.' })
  @Property({ type: 'integer', nullable: true })
  awayShootoutGoals?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  homeShots?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  awayShots?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  homeShotsOnTarget?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  awayShotsOnTarget?: number | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
