import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayParameter, selectRows } from '../db/select';
import type { BookmakerPrices } from './market-informed';

/**
 * Each bookmaker's current 1X2 prices for the matches, as of `now`: the newest row taken by then
 * (an imported row without a time counts as taken before kick-off). Closing rows never count:
 * they are what forecasts are scored against.
 */
export async function currentPricesOf(
  em: EntityManager,
  matchIds: readonly number[],
  now: Date,
): Promise<Map<number, BookmakerPrices[]>> {
  const byMatch = new Map<number, BookmakerPrices[]>();
  if (!matchIds.length) return byMatch;
  const rows = await selectRows<{ match_id: number; bookmaker: string; prices: number[] }>(
    em,
    `select distinct on (match_id, bookmaker) match_id, bookmaker, prices
       from odds
      where match_id = any(?::bigint[]) and market = 'ONE_X_TWO' and line = 0 and not closing
        and (taken_at is null or taken_at <= ?)
      order by match_id, bookmaker, taken_at desc nulls last, id desc`,
    [intArrayParameter(matchIds), now],
  );
  for (const row of rows) {
    const prices = typeof row.prices === 'string' ? (JSON.parse(row.prices) as number[]) : row.prices;
    const matchId = Number(row.match_id);
    byMatch.set(matchId, [...(byMatch.get(matchId) ?? []), { bookmaker: row.bookmaker, prices }]);
  }
  return byMatch;
}
