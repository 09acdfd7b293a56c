import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { selectByKeys } from '../db/select';
import { PREDICTION_COLUMNS, predictionFromRow } from './prediction.views';

export function createPredictionLoaders(em: EntityManager) {
  return {
    predictionById: uniqueLoader(
      selectByKeys(em, `select ${PREDICTION_COLUMNS} from prediction where id in (?)`, predictionFromRow),
      (p) => p.id,
    ),
    predictionsByMatchId: groupLoader(
      selectByKeys(
        em,
        `select ${PREDICTION_COLUMNS} from prediction where match_id in (?) order by created_at desc, id desc`,
        predictionFromRow,
      ),
      (p) => p.match.id,
    ),
    latestPredictionByMatchId: uniqueLoader(
      // DISTINCT ON keeps one row per match: the newest.
      selectByKeys(
        em,
        `select distinct on (match_id) ${PREDICTION_COLUMNS} from prediction
          where match_id in (?) order by match_id, created_at desc, id desc`,
        predictionFromRow,
      ),
      (p) => p.match.id,
    ),
  };
}
