import { Migration } from '@mikro-orm/migrations';

export class Migration20261127090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_key" add column "scopes" text[] not null default '{}';`);
    this.addSql(`alter table "api_key" add constraint api_key_scopes_valid check (scopes <@ array['OPERATOR', 'INGEST']::text[]);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_key" drop constraint api_key_scopes_valid;`);
    this.addSql(`alter table "api_key" drop column "scopes";`);
  }

}
