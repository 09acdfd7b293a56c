import { Migration } from '@mikro-orm/migrations';

export class Migration20261123155143 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "competition" ("id" serial primary key, "code" varchar(64) not null, "name" varchar(128) not null, "country" varchar(64) not null);`);
    this.addSql(`alter table "competition" add constraint "competition_code_unique" unique ("code");`);

    this.addSql(`create table "season" ("id" serial primary key, "competition_id" int not null, "label" varchar(16) not null, "start_date" date not null, "end_date" date not null, constraint season_dates_ordered check (end_date >= start_date));`);
    this.addSql(`alter table "season" add constraint "season_competition_id_label_unique" unique ("competition_id", "label");`);

    this.addSql(`create table "team" ("id" serial primary key, "name" varchar(128) not null, "short_name" varchar(64) not null, "country" varchar(64) null);`);
    this.addSql(`alter table "team" add constraint "team_name_unique" unique ("name");`);

    this.addSql(`create table "match" ("id" serial primary key, "season_id" int not null, "home_team_id" int not null, "away_team_id" int not null, "kickoff" timestamptz not null, "status" text check ("status" in ('SCHEDULED', 'LIVE', 'HALF_TIME', 'FINISHED', 'POSTPONED', 'CANCELLED')) not null default 'SCHEDULED', "minute" int null, "home_goals" int null, "away_goals" int null, "half_time_home_goals" int null, "half_time_away_goals" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint match_minute_range check (minute is null or (minute >= 0 and minute <= 150)), constraint match_goals_non_negative check ((home_goals is null or home_goals >= 0) and (away_goals is null or away_goals >= 0) and (half_time_home_goals is null or half_time_home_goals >= 0) and (half_time_away_goals is null or half_time_away_goals >= 0)), constraint match_distinct_teams check (home_team_id <> away_team_id));`);
    this.addSql(`create index "match_season_id_index" on "match" ("season_id");`);
    this.addSql(`create index "match_home_team_id_index" on "match" ("home_team_id");`);
    this.addSql(`create index "match_away_team_id_index" on "match" ("away_team_id");`);
    this.addSql(`create index "match_status_kickoff_index" on "match" ("status", "kickoff");`);
    this.addSql(`create index "match_kickoff_index" on "match" ("kickoff");`);
    this.addSql(`alter table "match" add constraint "match_season_id_home_team_id_away_team_id_unique" unique ("season_id", "home_team_id", "away_team_id");`);

    this.addSql(`create table "prediction" ("id" serial primary key, "match_id" int not null, "model_name" varchar(64) not null, "model_version" varchar(32) not null, "home_win" double precision not null, "draw" double precision not null, "away_win" double precision not null, "expected_home_goals" double precision not null, "expected_away_goals" double precision not null, "in_play_minute" int null, "created_at" timestamptz not null, constraint prediction_in_play_minute_range check (in_play_minute is null or (in_play_minute >= 0 and in_play_minute <= 150)), constraint prediction_expected_goals_non_negative check (expected_home_goals >= 0 and expected_away_goals >= 0), constraint prediction_probabilities_valid check (home_win between 0 and 1 and draw between 0 and 1 and away_win between 0 and 1 and abs(home_win + draw + away_win - 1) < 1e-6));`);
    this.addSql(`create index "prediction_match_created_at_index" on "prediction" ("match_id", "created_at");`);

    this.addSql(`create table "odds" ("id" serial primary key, "match_id" int not null, "bookmaker" varchar(64) not null, "market" text check ("market" in ('ONE_X_TWO', 'OVER_UNDER', 'ASIAN_HANDICAP')) not null, "line" double precision not null default 0, "prices" jsonb not null, "taken_at" timestamptz null, "closing" boolean not null default false, constraint odds_prices_valid check (jsonb_typeof(prices) = 'array' and jsonb_array_length(prices) between 2 and 3));`);
    this.addSql(`create index "odds_match_id_index" on "odds" ("match_id");`);
    this.addSql(`alter table "odds" add constraint "odds_match_bookmaker_market_line_closing_unique" unique ("match_id", "bookmaker", "market", "line", "closing");`);

    this.addSql(`create table "match_event" ("id" serial primary key, "match_id" int not null, "type" text check ("type" in ('KICK_OFF', 'GOAL', 'OWN_GOAL', 'PENALTY_GOAL', 'RED_CARD', 'HALF_TIME', 'SECOND_HALF', 'FULL_TIME')) not null, "minute" int not null, "team_id" int null, "source" varchar(64) not null, "external_id" varchar(128) not null, "created_at" timestamptz not null, constraint match_event_minute_range check (minute >= 0 and minute <= 150));`);
    this.addSql(`create index "match_event_match_id_index" on "match_event" ("match_id");`);
    this.addSql(`alter table "match_event" add constraint "match_event_source_external_id_unique" unique ("source", "external_id");`);

    this.addSql(`create table "team_alias" ("id" serial primary key, "team_id" int not null, "alias" varchar(128) not null);`);
    this.addSql(`create index "team_alias_team_id_index" on "team_alias" ("team_id");`);
    this.addSql(`alter table "team_alias" add constraint "team_alias_alias_unique" unique ("alias");`);

    this.addSql(`create table "tenant" ("id" serial primary key, "slug" varchar(64) not null, "name" varchar(128) not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "tenant" add constraint "tenant_slug_unique" unique ("slug");`);

    this.addSql(`create table "app_user" ("id" serial primary key, "email" varchar(254) not null, "name" varchar(128) not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(`create table "membership" ("id" serial primary key, "tenant_id" int not null, "user_id" int not null, "role" text check ("role" in ('VIEWER', 'ANALYST', 'ADMIN', 'OWNER')) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "membership_user_id_index" on "membership" ("user_id");`);
    this.addSql(`alter table "membership" add constraint "membership_tenant_id_user_id_unique" unique ("tenant_id", "user_id");`);

    this.addSql(`create table "api_key" ("id" serial primary key, "membership_id" int not null, "name" varchar(128) not null, "prefix" varchar(16) not null, "hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null);`);
    this.addSql(`create index "api_key_membership_id_index" on "api_key" ("membership_id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);

    this.addSql(`create table "audit_log" ("id" bigserial primary key, "tenant_id" int null, "user_id" int null, "action" varchar(64) not null, "entity_type" varchar(64) not null, "entity_id" varchar(64) not null, "data" jsonb null, "created_at" timestamptz not null);`);
    this.addSql(`create index "audit_log_tenant_id_created_at_index" on "audit_log" ("tenant_id", "created_at");`);

    this.addSql(`alter table "season" add constraint "season_competition_id_foreign" foreign key ("competition_id") references "competition" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "match" add constraint "match_season_id_foreign" foreign key ("season_id") references "season" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "match" add constraint "match_home_team_id_foreign" foreign key ("home_team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "match" add constraint "match_away_team_id_foreign" foreign key ("away_team_id") references "team" ("id") on update cascade;`);

    this.addSql(`alter table "prediction" add constraint "prediction_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "odds" add constraint "odds_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "match_event" add constraint "match_event_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "match_event" add constraint "match_event_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "team_alias" add constraint "team_alias_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "membership" add constraint "membership_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_key" add constraint "api_key_membership_id_foreign" foreign key ("membership_id") references "membership" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "audit_log" add constraint "audit_log_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    // Dependents first; cascade also takes the foreign keys that later migrations point here.
    for (const table of ['audit_log', 'api_key', 'membership', 'app_user', 'tenant', 'team_alias', 'match_event', 'odds', 'prediction', 'match', 'team', 'season', 'competition']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }

}
