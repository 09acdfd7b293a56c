import { Migration } from '@mikro-orm/migrations';

export class Migration20261123165733 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "prediction" add column "grid_home_rate" double precision null, add column "grid_away_rate" double precision null, add column "grid_rho" double precision null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "prediction" drop column "grid_home_rate", drop column "grid_away_rate", drop column "grid_rho";`);
  }

}
