import { Migration } from '@mikro-orm/migrations';

export class Migration20261205223347 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "match_event" add column "cancelled_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "match_event" drop column "cancelled_at";`);
  }

}
