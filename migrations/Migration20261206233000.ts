import { Migration } from '@mikro-orm/migrations';

export class Migration20261206233000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "match" drop constraint if exists "match_status_check";`);

    this.addSql(`alter table "match_event" drop constraint if exists "match_event_type_check";`);

    this.addSql(`alter table "match" add column "home_shootout_goals" int null, add column "away_shootout_goals" int null;`);
    this.addSql(`alter table "match" add constraint "match_status_check" check("status" in ('SCHEDULED', 'LIVE', 'HALF_TIME', 'EXTRA_TIME', 'PENALTIES', 'FINISHED', 'POSTPONED', 'CANCELLED'));`);
    this.addSql(`alter table "match" add constraint match_shootout_goals_non_negative check((home_shootout_goals is null or home_shootout_goals >= 0) and (away_shootout_goals is null or away_shootout_goals >= 0));`);

    this.addSql(`alter table "match_event" add constraint "match_event_type_check" check("type" in ('KICK_OFF', 'GOAL', 'OWN_GOAL', 'PENALTY_GOAL', 'RED_CARD', 'HALF_TIME', 'SECOND_HALF', 'FULL_TIME', 'YELLOW_CARD', 'SECOND_YELLOW_CARD', 'SUBSTITUTION', 'PENALTY_AWARDED', 'PENALTY_MISSED', 'VAR_REVIEW', 'ADDED_TIME', 'EXTRA_TIME_START', 'SHOOTOUT_START', 'SHOOTOUT_GOAL', 'SHOOTOUT_MISS'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "match" drop constraint if exists "match_status_check";`);

    this.addSql(`alter table "match_event" drop constraint if exists "match_event_type_check";`);

    this.addSql(`alter table "match" drop constraint match_shootout_goals_non_negative;`);
    this.addSql(`alter table "match" drop column "home_shootout_goals", drop column "away_shootout_goals";`);

    this.addSql(`alter table "match" add constraint "match_status_check" check("status" in ('SCHEDULED', 'LIVE', 'HALF_TIME', 'FINISHED', 'POSTPONED', 'CANCELLED'));`);

    this.addSql(`alter table "match_event" add constraint "match_event_type_check" check("type" in ('KICK_OFF', 'GOAL', 'OWN_GOAL', 'PENALTY_GOAL', 'RED_CARD', 'HALF_TIME', 'SECOND_HALF', 'FULL_TIME', 'YELLOW_CARD', 'SECOND_YELLOW_CARD', 'SUBSTITUTION', 'PENALTY_AWARDED', 'PENALTY_MISSED', 'VAR_REVIEW', 'ADDED_TIME'));`);
  }

}
