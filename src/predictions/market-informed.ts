import { REFERENCE_REPORT } from './backtest-reports';
import { combine, impliedProbabilities, type Probabilities1x2 } from './models';

/**
 * The market-informed forecast: the independent ensemble pooled with the bookmakers' latest
 * pre-kick-off 1X2 prices (margin removed). It is the better probability of the two (the market
 * knows team news the models cannot), but it is not independent of the prices, so edges and
 * "edge over the best price" alerts are computed from the ensemble, never from it.
 *
 * The pool's market weight is the one the committed backtest learned walk-forward on EPL
 * 2013/14–2024/25 from Pinnacle's earlier price (`npm run backtest`); the data holds earlier
 * prices for no other league, so every competition uses it. Closing prices only ever score.
 */
export const MARKET_INFORMED = {
  name: 'market-informed',
  version: '1.0.3',
  marketWeight: REFERENCE_REPORT.marketInformed?.marketWeight ?? 0.9,
} as const;

/** A bookmaker's 1X2 prices as stored: the newest non-closing row per bookmaker. */
export interface BookmakerPrices {
  bookmaker: string;
  prices: readonly number[];
}

/**
 * The market's margin-free 1X2 from the bookmakers' current prices: Pinnacle's when it has any
 * (the sharpest book, and the one the weight was learned on), else the mean over bookmakers;
 * null without prices. Aggregates (`market-average`, `market-max`) are not bookmakers.
 */
export function marketProbabilities(rows: readonly BookmakerPrices[]): Probabilities1x2 | null {
  const books = rows.filter((row) => row.prices.length === 3 && !row.bookmaker.startsWith('market-'));
  const pinnacle = books.filter((row) => row.bookmaker === 'pinnacle');
  const used = pinnacle.length ? pinnacle : books;
  if (!used.length) return null;
  const sum = { home: 0, draw: 0, away: 0 };
  for (const row of used) {
    const [home, draw, away] = impliedProbabilities(row.prices, 'multiplicative').probabilities;
    sum.home += home!;
    sum.draw += draw!;
    sum.away += away!;
  }
  return { home: sum.home / used.length, draw: sum.draw / used.length, away: sum.away / used.length };
}

/** The ensemble and the market pooled with the learned weight. */
export function marketInformed(ensemble: Probabilities1x2, market: Probabilities1x2): Probabilities1x2 {
  const w = MARKET_INFORMED.marketWeight;
  return combine([1 - w, w], [ensemble, market]);
}
