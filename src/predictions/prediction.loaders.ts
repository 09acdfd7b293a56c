import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { Prediction } from './prediction.entity';

export function createPredictionLoaders(em: EntityManager) {
  return {
    predictionById: uniqueLoader(
      (ids: readonly number[]) => em.find(Prediction, { id: { $in: [...ids] } }),
      (p) => p.id,
    ),
    predictionsByMatchId: groupLoader(
      (ids: readonly number[]) =>
        em.find(Prediction, { match: { $in: [...ids] } }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (p) => p.match.id,
    ),
    latestPredictionByMatchId: uniqueLoader(
      async (ids: readonly number[]) => {
        // DISTINCT ON keeps one row per match: the newest.
        const rows = await em
          .createQueryBuilder(Prediction, 'p')
          .select('*')
          .distinctOn(['p.match_id'])
          .where({ match: { $in: [...ids] } })
          .orderBy({ match: 'asc', createdAt: 'desc', id: 'desc' })
          .getResultList();
        return rows;
      },
      (p) => p.match.id,
    ),
  };
}
