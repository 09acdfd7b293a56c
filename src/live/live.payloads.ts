import type { AppContext } from '../context';
import { NotFoundError } from '../errors';
import { matchFromSnapshot } from '../matches/match.snapshot';
import type { Match } from '../matches/match.entity';
import type { Prediction } from '../predictions/prediction.entity';
import type { MatchUpdatedPayload, PredictionUpdatedPayload } from '../pubsub/topics';
import { fromPredictionSnapshot } from './prediction.snapshot';

// The pub/sub fan-out hands every subscription group of a topic the same payload object, so a
// read keyed on it happens once per event in this process, whatever the number of groups.
const predictionsReadOnce = new WeakMap<PredictionUpdatedPayload, Promise<Prediction | null>>();

/**
 * The match of a `matchUpdated` event, as a root object for the subscriber's selection.
 * Call once per event and group: it renews the group's unit of work, so nested fields read fresh rows.
 */
export function matchOfEvent(ctx: AppContext, snapshot: MatchUpdatedPayload): Match {
  ctx.renewScope();
  ctx.eventRecordedAt = snapshot.recordedAt;
  return matchFromSnapshot(snapshot);
}

/**
 * The prediction of a `predictionUpdated` event: from the payload when it carries the row (its
 * match then primes the loader, so `prediction { match { … } }` reads nothing either), otherwise
 * read by id once per event. Renews the group's unit of work like `matchOfEvent`.
 */
export async function predictionOfEvent(ctx: AppContext, payload: PredictionUpdatedPayload): Promise<Prediction> {
  const match = payload.match ? matchFromSnapshot(payload.match) : null;
  ctx.renewScope(match ? (loaders) => loaders.matchById.prime(match.id, match) : undefined);
  ctx.eventRecordedAt = payload.recordedAt;
  if (payload.prediction) return fromPredictionSnapshot(payload.prediction);
  let read = predictionsReadOnce.get(payload);
  if (!read) {
    read = ctx.loaders.predictionById.load(payload.predictionId);
    predictionsReadOnce.set(payload, read);
  }
  const prediction = await read;
  if (!prediction) throw new NotFoundError('Prediction', payload.predictionId);
  return prediction;
}
