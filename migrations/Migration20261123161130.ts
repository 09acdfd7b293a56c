import { Migration } from '@mikro-orm/migrations';

export class Migration20261123161130 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "match" add column "home_shots" int null, add column "away_shots" int null, add column "home_shots_on_target" int null, add column "away_shots_on_target" int null;`);
    this.addSql(`alter table "match" add constraint match_shots_valid check(((home_shots IS NULL) OR (home_shots >= 0)) AND ((away_shots IS NULL) OR (away_shots >= 0)) AND ((home_shots_on_target IS NULL) OR (home_shots_on_target >= 0)) AND ((away_shots_on_target IS NULL) OR (away_shots_on_target >= 0)));`);

    this.addSql(`alter table "prediction" add column "markets" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "match" drop constraint match_shots_valid;`);
    this.addSql(`alter table "match" drop column "home_shots", drop column "away_shots", drop column "home_shots_on_target", drop column "away_shots_on_target";`);

    this.addSql(`alter table "prediction" drop column "markets";`);
  }

}
