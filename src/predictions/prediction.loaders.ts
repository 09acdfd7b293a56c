import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueLoader, type BatchObserver } from '../db/batch';
import type { JsonRelation, RelationBatch } from '../db/relation-batch';
import { selectRows } from '../db/select';
import { MARKET_INFORMED } from './market-informed';
import type { Prediction } from './prediction.entity';
import {
  latestPredictionOfMatches,
  PREDICTION_COLUMNS,
  predictionFromRow,
  predictionsOfMatches,
  type PredictionRow,
} from './prediction.views';

const LATEST = { withMarkets: latestPredictionOfMatches(true), withoutMarkets: latestPredictionOfMatches(false) };

/** `tenantId`: the caller's; its custom models' predictions are read with the platform's. */
export function createPredictionLoaders(
  em: EntityManager,
  relations: RelationBatch,
  tenantId: number | null,
  observe?: BatchObserver,
) {
  const predictions = {
    withMarkets: predictionsOfMatches(true, tenantId),
    withoutMarkets: predictionsOfMatches(false, tenantId),
  };
  // When the same tick also reads the match's predictions, the latest is their first platform one.
  const fromPredictions = (relation: JsonRelation) => ({ relation, pick: newestPlatformPrediction });
  const latest: Record<'withMarkets' | 'withoutMarkets', JsonRelation> = {
    withMarkets: { ...LATEST.withMarkets, derivedFrom: [fromPredictions(predictions.withMarkets)] },
    withoutMarkets: {
      ...LATEST.withoutMarkets,
      derivedFrom: [fromPredictions(predictions.withMarkets), fromPredictions(predictions.withoutMarkets)],
    },
  };
  return {
    predictionById: uniqueLoader(
      async (ids: readonly number[]) =>
        (
          await selectRows<PredictionRow>(
            em,
            `select ${PREDICTION_COLUMNS} from prediction where id in (?) and (tenant_id is null or tenant_id = ?)`,
            [ids, tenantId],
          )
        ).map(predictionFromRow),
      (p) => p.id,
      { name: 'predictionById', observe },
    ),
    // Plain objects from PostgreSQL's JSON, read with the match's other relations in one statement.
    // Without markets when the selection has none: they are most of a prediction's bytes.
    predictionsByMatchId: {
      load: async (matchId: number, { withMarkets = true } = {}) =>
        (await relations.load<Prediction[]>(
          withMarkets ? predictions.withMarkets : predictions.withoutMarkets,
          matchId,
        )) ?? [],
    },
    latestPredictionByMatchId: {
      load: (matchId: number, { withMarkets = true } = {}) =>
        relations.load<Prediction>(withMarkets ? latest.withMarkets : latest.withoutMarkets, matchId),
    },
  };
}

/**
 * The newest independent platform prediction of a match's list (newest first; tenants' custom
 * models and the market-informed forecast skipped), as `latestPredictionOfMatches` picks it.
 */
function newestPlatformPrediction(list: unknown): unknown {
  return (
    (list as (Prediction & { customModel: unknown })[] | null)?.find(
      (p) => p.customModel === null && p.modelName !== MARKET_INFORMED.name,
    ) ?? null
  );
}
