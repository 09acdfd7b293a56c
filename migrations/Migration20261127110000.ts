import { Migration } from '@mikro-orm/migrations';

export class Migration20261127110000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "watchlist_item" ("id" serial primary key, "tenant_id" int not null, "team_id" int null, "match_id" int null, "competition_id" int null, "created_at" timestamptz not null, constraint watchlist_item_one_target check (num_nonnulls(team_id, match_id, competition_id) = 1));`);
    this.addSql(`create index "watchlist_item_competition_id_index" on "watchlist_item" ("competition_id");`);
    this.addSql(`create index "watchlist_item_match_id_index" on "watchlist_item" ("match_id");`);
    this.addSql(`create index "watchlist_item_team_id_index" on "watchlist_item" ("team_id");`);
    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_tenant_id_competition_id_unique" unique ("tenant_id", "competition_id");`);
    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_tenant_id_match_id_unique" unique ("tenant_id", "match_id");`);
    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_tenant_id_team_id_unique" unique ("tenant_id", "team_id");`);

    this.addSql(`create table "alert_rule" ("id" serial primary key, "tenant_id" int not null, "name" varchar(128) null, "kind" text check ("kind" in ('HOME_WIN_ABOVE', 'AWAY_WIN_ABOVE', 'DRAW_ABOVE', 'EDGE_OVER_BEST_PRICE')) not null, "threshold" double precision not null, "scope" text check ("scope" in ('MATCH', 'TEAM', 'COMPETITION', 'WATCHLIST')) not null, "match_id" int null, "team_id" int null, "competition_id" int null, "model_name" varchar(64) null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint alert_rule_threshold_range check ((kind = 'EDGE_OVER_BEST_PRICE' and threshold >= 0 and threshold <= 10) or (kind <> 'EDGE_OVER_BEST_PRICE' and threshold > 0 and threshold < 1)), constraint alert_rule_scope_target check ((scope = 'MATCH' and num_nonnulls(team_id, competition_id) = 0 and match_id is not null) or (scope = 'TEAM' and num_nonnulls(match_id, competition_id) = 0 and team_id is not null) or (scope = 'COMPETITION' and num_nonnulls(match_id, team_id) = 0 and competition_id is not null) or (scope = 'WATCHLIST' and num_nonnulls(match_id, team_id, competition_id) = 0)));`);
    this.addSql(`create index "alert_rule_competition_id_index" on "alert_rule" ("competition_id");`);
    this.addSql(`create index "alert_rule_team_id_index" on "alert_rule" ("team_id");`);
    this.addSql(`create index "alert_rule_match_id_index" on "alert_rule" ("match_id");`);
    this.addSql(`create index "alert_rule_tenant_id_scope_index" on "alert_rule" ("tenant_id", "scope");`);

    this.addSql(`create table "alert_event" ("id" serial primary key, "tenant_id" int not null, "rule_id" int null, "match_id" int not null, "prediction_id" int null, "kind" text check ("kind" in ('HOME_WIN_ABOVE', 'AWAY_WIN_ABOVE', 'DRAW_ABOVE', 'EDGE_OVER_BEST_PRICE')) not null, "threshold" double precision not null, "values" jsonb not null, "fired_at" timestamptz not null);`);
    this.addSql(`create index "alert_event_match_id_index" on "alert_event" ("match_id");`);
    this.addSql(`create index "alert_event_prediction_id_index" on "alert_event" ("prediction_id");`);
    this.addSql(`create index "alert_event_tenant_id_id_index" on "alert_event" ("tenant_id", "id");`);
    this.addSql(`alter table "alert_event" add constraint "alert_event_rule_id_prediction_id_unique" unique ("rule_id", "prediction_id");`);

    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "watchlist_item" add constraint "watchlist_item_competition_id_foreign" foreign key ("competition_id") references "competition" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "alert_rule" add constraint "alert_rule_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_rule" add constraint "alert_rule_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_rule" add constraint "alert_rule_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_rule" add constraint "alert_rule_competition_id_foreign" foreign key ("competition_id") references "competition" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "alert_event" add constraint "alert_event_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_event" add constraint "alert_event_rule_id_foreign" foreign key ("rule_id") references "alert_rule" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "alert_event" add constraint "alert_event_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_event" add constraint "alert_event_prediction_id_foreign" foreign key ("prediction_id") references "prediction" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alert_event" cascade;`);
    this.addSql(`drop table if exists "alert_rule" cascade;`);
    this.addSql(`drop table if exists "watchlist_item" cascade;`);
  }

}
