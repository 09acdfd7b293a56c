import type { EntityManager } from '@mikro-orm/postgresql';
import { Match } from '../matches/match.entity';
import { toMatchSnapshot } from '../matches/match.snapshot';
import type { PredictionMarkets } from '../predictions/markets';
import { Prediction } from '../predictions/prediction.entity';
import type { PredictionUpdatedPayload } from '../pubsub/topics';

/** JSON-safe copy of a stored prediction, as sent through pub/sub with `predictionUpdated`. */
export interface PredictionSnapshot {
  id: number;
  matchId: number;
  modelName: string;
  modelVersion: string;
  homeWin: number;
  draw: number;
  awayWin: number;
  expectedHomeGoals: number;
  expectedAwayGoals: number;
  inPlayMinute: number | null;
  markets: PredictionMarkets | null;
  createdAt: string;
}

/** Call after the prediction is stored (it needs its id). */
export function toPredictionSnapshot(prediction: Prediction): PredictionSnapshot {
  return {
    id: prediction.id,
    matchId: prediction.match.id,
    modelName: prediction.modelName,
    modelVersion: prediction.modelVersion,
    homeWin: prediction.homeWin,
    draw: prediction.draw,
    awayWin: prediction.awayWin,
    expectedHomeGoals: prediction.expectedHomeGoals,
    expectedAwayGoals: prediction.expectedAwayGoals,
    inPlayMinute: prediction.inPlayMinute ?? null,
    markets: prediction.markets ?? null,
    createdAt: prediction.createdAt.toISOString(),
  };
}

/** Rebuilds a detached Prediction (not managed by `em`) whose match is an unloaded reference. */
export function fromPredictionSnapshot(em: EntityManager, snapshot: PredictionSnapshot): Prediction {
  const prediction = new Prediction();
  Object.assign(prediction, {
    id: snapshot.id,
    match: em.getReference(Match, snapshot.matchId, { wrapped: true }),
    modelName: snapshot.modelName,
    modelVersion: snapshot.modelVersion,
    homeWin: snapshot.homeWin,
    draw: snapshot.draw,
    awayWin: snapshot.awayWin,
    expectedHomeGoals: snapshot.expectedHomeGoals,
    expectedAwayGoals: snapshot.expectedAwayGoals,
    inPlayMinute: snapshot.inPlayMinute,
    markets: snapshot.markets,
    createdAt: new Date(snapshot.createdAt),
  });
  return prediction;
}

/** What is published on PREDICTION_UPDATED once `prediction` is stored: ids, and the rows themselves. */
export function predictionUpdatedPayload(prediction: Prediction, match: Match): PredictionUpdatedPayload {
  return {
    predictionId: prediction.id,
    matchId: match.id,
    prediction: toPredictionSnapshot(prediction),
    match: toMatchSnapshot(match),
  };
}
