import type { AlertTriggeredPayload } from '../alerts/alert.snapshot';
import type { LiveUpdate } from '../live/live-update';
import type { PredictionSnapshot } from '../live/prediction.snapshot';
import type { MatchSnapshot } from '../matches/match.snapshot';

/** Every pub/sub topic and its payload; topic ids are database ids of the match. */
export const Topic = {
  MATCH_UPDATED: 'MATCH_UPDATED',
  PREDICTION_UPDATED: 'PREDICTION_UPDATED',
  /** Platform data was written: every instance drops its cached shared-data responses. */
  SHARED_DATA_CHANGED: 'SHARED_DATA_CHANGED',
  /**
   * API keys were revoked or members removed: every instance forgets the principals it may have
   * cached for them and closes their sockets (credentials as in `Principal.credential`).
   */
  CREDENTIALS_REVOKED: 'CREDENTIALS_REVOKED',
  /** A tenant's plan changed: every instance forgets the plan it may have cached for it. */
  TENANT_PLAN_CHANGED: 'TENANT_PLAN_CHANGED',
  /** A tenant's alert rule fired; the topic id is the tenant's database id, never a match's. */
  ALERT_TRIGGERED: 'ALERT_TRIGGERED',
  /** A match's live-feed update, committed with its sequence; one channel for every match (see live-sequencer.ts). */
  LIVE_UPDATE: 'LIVE_UPDATE',
  /** A tenant's watchlist changed: its `liveFeed(filter: { watchlist: true })` feeds read it again. */
  WATCHLIST_CHANGED: 'WATCHLIST_CHANGED',
} as const;

/** When the event behind an update was committed, in ms since the epoch (for the push lag metric). */
interface Recorded {
  recordedAt?: number;
}

/** A match's new state; `recordedAt` when a match event caused it. */
export type MatchUpdatedPayload = MatchSnapshot & Recorded;

export interface PredictionUpdatedPayload extends Recorded {
  predictionId: number;
  matchId: number;
  /**
   * The stored prediction and its match, so subscribers need not read them back. Optional: an
   * instance that publishes ids only (an older version during a rolling deploy) is still served,
   * with one read per event in each receiving process.
   */
  prediction?: PredictionSnapshot;
  match?: MatchSnapshot;
  /**
   * The match's pre-match predictions that a refresh replaced (deleted) in the same transaction:
   * the alert rules of the publishing process compare with them, since they are gone from the
   * table. Never sent to other instances.
   */
  replaced?: ReplacedPrediction[];
}

/** A deleted prediction, as an alert rule's crossing test compares with it. */
export interface ReplacedPrediction {
  id: number;
  model_name: string;
  home_win: number;
  draw: number;
  away_win: number;
  created_at: string;
}

export type PubSubChannels = {
  [Topic.MATCH_UPDATED]: [matchId: number, payload: MatchUpdatedPayload];
  [Topic.PREDICTION_UPDATED]: [matchId: number, payload: PredictionUpdatedPayload];
  [Topic.SHARED_DATA_CHANGED]: [payload: { origin: string }];
  [Topic.CREDENTIALS_REVOKED]: [payload: { credentials: string[] }];
  [Topic.TENANT_PLAN_CHANGED]: [payload: { tenantId: number }];
  [Topic.ALERT_TRIGGERED]: [tenantId: number, payload: AlertTriggeredPayload];
  [Topic.LIVE_UPDATE]: [payload: LiveUpdate];
  [Topic.WATCHLIST_CHANGED]: [tenantId: number, payload: { tenantId: number }];
};
