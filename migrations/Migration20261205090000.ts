import { Migration } from '@mikro-orm/migrations';

/**
 * Each tenant names its members itself: the name a tenant gave is its own, so inviting an
 * address another tenant knows never reveals what that tenant calls the person.
 */
export class Migration20261205090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "membership" add column "name" varchar(255) null;`);
    this.addSql(`update "membership" m set "name" = u."name" from "app_user" u where u."id" = m."user_id";`);
    this.addSql(`alter table "membership" alter column "name" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "membership" drop column "name";`);
  }
}
