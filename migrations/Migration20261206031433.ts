import { Migration } from '@mikro-orm/migrations';

export class Migration20261206031433 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "live_update" ("match_id" int not null, "seq" int not null, "competition_id" int not null, "kind" varchar(24) not null, "payload" jsonb not null, "created_at" timestamptz not null, constraint "live_update_pkey" primary key ("match_id", "seq"));`);
    this.addSql(`create index "live_update_created_at_index" on "live_update" ("created_at");`);

    this.addSql(`alter table "live_update" add constraint "live_update_match_id_foreign" foreign key ("match_id") references "match" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "live_update" cascade;`);
  }

}
