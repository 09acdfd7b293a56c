import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { selectByKeys } from '../db/select';
import type { Prediction } from './prediction.entity';
import { PREDICTION_COLUMNS, predictionFromRow } from './prediction.views';

export function createPredictionLoaders(em: EntityManager) {
  // Kept reachable so the latest prediction of a match can come from its full list, when the
  // same request asks for both (newest first, so the latest is the list's head).
  const listsByMatchId = new Map<number, Promise<Prediction[]>>();
  const predictionsByMatchId = groupLoader(
    selectByKeys(
      em,
      `select ${PREDICTION_COLUMNS} from prediction where match_id in (?) order by created_at desc, id desc`,
      predictionFromRow,
    ),
    (p) => p.match.id,
    listsByMatchId,
  );
  const newestOnly = uniqueLoader(
    // DISTINCT ON keeps one row per match: the newest.
    selectByKeys(
      em,
      `select distinct on (match_id) ${PREDICTION_COLUMNS} from prediction
        where match_id in (?) order by match_id, created_at desc, id desc`,
      predictionFromRow,
    ),
    (p) => p.match.id,
  );
  return {
    predictionById: uniqueLoader(
      selectByKeys(em, `select ${PREDICTION_COLUMNS} from prediction where id in (?)`, predictionFromRow),
      (p) => p.id,
    ),
    predictionsByMatchId,
    // Decided when the batch runs, after every field of the level asked: order does not matter.
    latestPredictionByMatchId: new DataLoader<number, Prediction | null>(async (ids) =>
      Promise.all(
        ids.map(async (id) => {
          const list = listsByMatchId.get(id);
          return list ? ((await list)[0] ?? null) : newestOnly.load(id);
        }),
      ),
    ),
  };
}
