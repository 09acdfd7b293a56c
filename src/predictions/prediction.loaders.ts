import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueLoader } from '../db/batch';
import type { RelationBatch } from '../db/relation-batch';
import { selectByKeys } from '../db/select';
import type { Prediction } from './prediction.entity';
import {
  LATEST_PREDICTION_OF_MATCHES,
  PREDICTION_COLUMNS,
  predictionFromRow,
  PREDICTIONS_OF_MATCHES,
} from './prediction.views';

export function createPredictionLoaders(em: EntityManager, relations: RelationBatch) {
  return {
    predictionById: uniqueLoader(
      selectByKeys(em, `select ${PREDICTION_COLUMNS} from prediction where id in (?)`, predictionFromRow),
      (p) => p.id,
    ),
    // Plain objects from PostgreSQL's JSON, read with the match's other relations in one statement.
    predictionsByMatchId: {
      load: async (matchId: number) => (await relations.load<Prediction[]>(PREDICTIONS_OF_MATCHES, matchId)) ?? [],
    },
    latestPredictionByMatchId: {
      load: (matchId: number) => relations.load<Prediction>(LATEST_PREDICTION_OF_MATCHES, matchId),
    },
  };
}
