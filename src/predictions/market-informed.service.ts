import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows } from '../db/select';
import { Match } from '../matches/match.entity';
import { ENSEMBLE, MODEL_VERSIONS } from './engine';
import { MARKET_INFORMED, marketInformed, marketProbabilities } from './market-informed';
import { currentPricesOf } from './market-prices';
import { Prediction } from './prediction.entity';
import { predictionRow } from './prediction.service';
import type { PredictionGridRow } from './prediction.views';

/**
 * After a 1X2 price move before kick-off: a new market-informed prediction from the match's
 * latest ensemble and the bookmakers' prices as of `asOf`, in the transaction of `em`. Null when
 * the match has no ensemble prediction of the current version yet (the next refresh makes both).
 */
export async function storeMarketInformed(em: EntityManager, matchId: number, asOf: Date): Promise<Prediction | null> {
  const [ensemble] = await selectRows<PredictionGridRow>(
    em,
    `select home_win, draw, away_win, grid_home_rate, grid_away_rate, grid_rho from prediction
      where match_id = ? and tenant_id is null and in_play_minute is null and model_name = ? and model_version = ?
        and grid_home_rate is not null
      order by created_at desc, id desc limit 1`,
    [matchId, ENSEMBLE, MODEL_VERSIONS[ENSEMBLE]],
  );
  if (!ensemble) return null;
  const market = marketProbabilities((await currentPricesOf(em, [matchId], asOf)).get(matchId) ?? []);
  if (!market) return null;
  const grid = { homeRate: ensemble.grid_home_rate, awayRate: ensemble.grid_away_rate, rho: ensemble.grid_rho };
  const independent = { home: ensemble.home_win, draw: ensemble.draw, away: ensemble.away_win };
  const row = predictionRow(grid, MARKET_INFORMED.name, MARKET_INFORMED.version, marketInformed(independent, market));
  const prediction = em.create(Prediction, { match: em.getReference(Match, matchId), createdAt: asOf, ...row });
  await em.flush();
  return prediction;
}
