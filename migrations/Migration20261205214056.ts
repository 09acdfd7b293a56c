import { Migration } from '@mikro-orm/migrations';

export class Migration20261205214056 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "ingest_source" ("id" serial primary key, "name" varchar(64) not null, "secret" varchar(128) not null, "created_at" timestamptz not null, "secret_rotated_at" timestamptz not null);`);
    this.addSql(`alter table "ingest_source" add constraint "ingest_source_name_unique" unique ("name");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ingest_source" cascade;`);
  }

}
