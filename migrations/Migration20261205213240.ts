import { Migration } from '@mikro-orm/migrations';

export class Migration20261205213240 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "match_event" drop constraint if exists "match_event_type_check";`);

    this.addSql(`alter table "match_event" add column "added_minutes" int null, add column "detail" varchar(200) null;`);
    this.addSql(`alter table "match_event" add constraint "match_event_type_check" check("type" in ('KICK_OFF', 'GOAL', 'OWN_GOAL', 'PENALTY_GOAL', 'RED_CARD', 'HALF_TIME', 'SECOND_HALF', 'FULL_TIME', 'YELLOW_CARD', 'SECOND_YELLOW_CARD', 'SUBSTITUTION', 'PENALTY_AWARDED', 'PENALTY_MISSED', 'VAR_REVIEW', 'ADDED_TIME'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "match_event" drop constraint if exists "match_event_type_check";`);
    // The older schema has no place for these events.
    this.addSql(`delete from "match_event" where "type" not in ('KICK_OFF', 'GOAL', 'OWN_GOAL', 'PENALTY_GOAL', 'RED_CARD', 'HALF_TIME', 'SECOND_HALF', 'FULL_TIME');`);

    this.addSql(`alter table "match_event" drop column "added_minutes", drop column "detail";`);

    this.addSql(`alter table "match_event" add constraint "match_event_type_check" check("type" in ('KICK_OFF', 'GOAL', 'OWN_GOAL', 'PENALTY_GOAL', 'RED_CARD', 'HALF_TIME', 'SECOND_HALF', 'FULL_TIME'));`);
  }

}
