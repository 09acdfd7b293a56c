import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueLoader, type BatchObserver } from '../db/batch';
import type { RelationBatch } from '../db/relation-batch';
import { selectByKeys } from '../db/select';
import type { Prediction } from './prediction.entity';
import {
  latestPredictionOfMatches,
  PREDICTION_COLUMNS,
  predictionFromRow,
  predictionsOfMatches,
} from './prediction.views';

const WITH_MARKETS = { predictions: predictionsOfMatches(true), latest: latestPredictionOfMatches(true) };
const WITHOUT_MARKETS = { predictions: predictionsOfMatches(false), latest: latestPredictionOfMatches(false) };

export function createPredictionLoaders(em: EntityManager, relations: RelationBatch, observe?: BatchObserver) {
  return {
    predictionById: uniqueLoader(
      selectByKeys(em, `select ${PREDICTION_COLUMNS} from prediction where id in (?)`, predictionFromRow),
      (p) => p.id,
      { name: 'predictionById', observe },
    ),
    // Plain objects from PostgreSQL's JSON, read with the match's other relations in one statement.
    // Without markets when the selection has none: they are most of a prediction's bytes.
    predictionsByMatchId: {
      load: async (matchId: number, { withMarkets = true } = {}) =>
        (await relations.load<Prediction[]>((withMarkets ? WITH_MARKETS : WITHOUT_MARKETS).predictions, matchId)) ?? [],
    },
    latestPredictionByMatchId: {
      load: (matchId: number, { withMarkets = true } = {}) =>
        relations.load<Prediction>((withMarkets ? WITH_MARKETS : WITHOUT_MARKETS).latest, matchId),
    },
  };
}
