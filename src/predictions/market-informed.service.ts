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
 * the match has no ensemble prediction of the current version yet (the next refresh makes both),
 * and when the forecast would say what the latest one says (a move of a price it does not read):
 * a prediction that changes nothing would still be pushed and fire price-edge rules.
 */
export async function storeMarketInformed(em: EntityManager, matchId: number, asOf: Date): Promise<Prediction | null> {
  const [ensemble] = await selectRows<PredictionGridRow & { latest: Probabilities | null }>(
    em,
    `select e.home_win, e.draw, e.away_win, e.grid_home_rate, e.grid_away_rate, e.grid_rho,
            (select json_build_object('homeWin', i.home_win, 'draw', i.draw, 'awayWin', i.away_win)
               from prediction i
              where i.match_id = e.match_id and i.tenant_id is null and i.in_play_minute is null
                and i.model_name = ? and i.model_version = ?
              order by i.created_at desc, i.id desc limit 1) as latest
       from prediction e
      where e.match_id = ? and e.tenant_id is null and e.in_play_minute is null and e.model_name = ? and e.model_version = ?
        and e.grid_home_rate is not null
      order by e.created_at desc, e.id desc limit 1`,
    [MARKET_INFORMED.name, MARKET_INFORMED.version, matchId, ENSEMBLE, MODEL_VERSIONS[ENSEMBLE]],
  );
  if (!ensemble) return null;
  const market = marketProbabilities((await currentPricesOf(em, [matchId], asOf)).get(matchId) ?? []);
  if (!market) return null;
  const grid = { homeRate: ensemble.grid_home_rate, awayRate: ensemble.grid_away_rate, rho: ensemble.grid_rho };
  const independent = { home: ensemble.home_win, draw: ensemble.draw, away: ensemble.away_win };
  const row = predictionRow(grid, MARKET_INFORMED.name, MARKET_INFORMED.version, marketInformed(independent, market));
  const { latest } = ensemble;
  if (latest && latest.homeWin === row.homeWin && latest.draw === row.draw && latest.awayWin === row.awayWin)
    return null;
  const prediction = em.create(Prediction, { match: em.getReference(Match, matchId), createdAt: asOf, ...row });
  await em.flush();
  return prediction;
}

interface Probabilities {
  homeWin: number;
  draw: number;
  awayWin: number;
}
