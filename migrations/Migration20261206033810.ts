import { Migration } from '@mikro-orm/migrations';

export class Migration20261206033810 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "odds" drop constraint "odds_match_bookmaker_market_line_closing_unique";`);

    this.addSql(`create unique index "odds_price_unique" on "odds" ("match_id", "bookmaker", "market", "line", "closing", "taken_at") nulls not distinct;`);
  }

  override async down(): Promise<void> {
    // The old key holds one row per bookmaker, market, line and closing: keep each one's newest.
    this.addSql(`delete from "odds" o using "odds" newer
      where newer.match_id = o.match_id and newer.bookmaker = o.bookmaker and newer.market = o.market
        and newer.line = o.line and newer.closing = o.closing
        and (coalesce(newer.taken_at, '-infinity'), newer.id) > (coalesce(o.taken_at, '-infinity'), o.id);`);
    this.addSql(`drop index "odds_price_unique";`);

    this.addSql(`alter table "odds" add constraint "odds_match_bookmaker_market_line_closing_unique" unique ("match_id", "bookmaker", "market", "line", "closing");`);
  }

}
