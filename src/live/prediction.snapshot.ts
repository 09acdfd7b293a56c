import type { Match } from '../matches/match.entity';
import { toMatchSnapshot } from '../matches/match.snapshot';
import type { PredictionMarkets } from '../predictions/markets';
import type { Prediction } from '../predictions/prediction.entity';
import { predictionFromRow } from '../predictions/prediction.views';
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

/** Rebuilds the prediction as the read path does (a read-only view whose match is an id reference). */
export function fromPredictionSnapshot(snapshot: PredictionSnapshot): Prediction {
  return predictionFromRow({
    id: snapshot.id,
    match_id: snapshot.matchId,
    model_name: snapshot.modelName,
    model_version: snapshot.modelVersion,
    home_win: snapshot.homeWin,
    draw: snapshot.draw,
    away_win: snapshot.awayWin,
    expected_home_goals: snapshot.expectedHomeGoals,
    expected_away_goals: snapshot.expectedAwayGoals,
    in_play_minute: snapshot.inPlayMinute,
    grid_home_rate: null,
    grid_away_rate: null,
    grid_rho: null,
    markets: snapshot.markets,
    created_at: snapshot.createdAt,
  });
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
