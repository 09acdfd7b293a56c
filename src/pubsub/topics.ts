import type { MatchSnapshot } from '../matches/match.snapshot';

/** Every pub/sub topic and its payload; topic ids are database ids of the match. */
export const Topic = {
  MATCH_UPDATED: 'MATCH_UPDATED',
  PREDICTION_UPDATED: 'PREDICTION_UPDATED',
} as const;

export interface PredictionUpdatedPayload {
  predictionId: number;
  matchId: number;
}

export type PubSubChannels = {
  [Topic.MATCH_UPDATED]: [matchId: number, payload: MatchSnapshot];
  [Topic.PREDICTION_UPDATED]: [matchId: number, payload: PredictionUpdatedPayload];
};
