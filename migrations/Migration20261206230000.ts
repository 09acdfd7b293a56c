import { Migration } from '@mikro-orm/migrations';

export class Migration20261206230000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "match_event" add column "corrected_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "match_event" drop column "corrected_at";`);
  }

}
