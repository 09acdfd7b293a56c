import type { EntityManager } from '@mikro-orm/postgresql';
import { isAppError, LimitExceededError, NotFoundError } from '../../errors';
import { selectRows } from '../../db/select';
import type { MatchEvent } from '../match-event.entity';
import type { EventChanges, MatchService } from '../match.service';
import { MAX_EVENTS_PER_BATCH } from './event-batch';

/** One correction a signed source posts: its event by the source's own key, cancelled or changed. */
export type SourceCorrection =
  { index: number; externalId: string; changes: EventChanges | null } | { index: number; error: unknown };

export type SourceCorrectionOutcome = 'CANCELLED' | 'CORRECTED' | 'REJECTED';

export interface SourceCorrectionResult {
  index: number;
  outcome: SourceCorrectionOutcome;
  /** The event as it is now (with `cancelledAt` or `correctedAt`). */
  event: MatchEvent | null;
  error: { code: string; message: string } | null;
}

export interface SourceCorrectionsAnswer {
  results: SourceCorrectionResult[];
  cancelled: number;
  corrected: number;
  rejected: number;
}

/**
 * A signed source's corrections (`POST /ingest/corrections`), naming its events by the keys it
 * sent them with: applied in the order given, each as `cancelMatchEvent` / `correctMatchEvent`
 * applies one (its own transaction, audited, pushed). An item that cannot be applied (an unknown
 * key, an event cancelled already, a correction that changes nothing or leaves an impossible
 * match) is REJECTED with its code and the others are applied; any other failure stops the call,
 * leaving what was applied applied.
 */
export async function applySourceCorrections(
  em: EntityManager,
  matches: MatchService,
  source: string,
  items: readonly SourceCorrection[],
): Promise<SourceCorrectionsAnswer> {
  if (items.length > MAX_EVENTS_PER_BATCH) {
    throw new LimitExceededError(`At most ${MAX_EVENTS_PER_BATCH} corrections per call`, MAX_EVENTS_PER_BATCH);
  }
  const results: SourceCorrectionResult[] = [];
  for (const item of items) {
    try {
      if ('error' in item) throw item.error;
      const eventId = await eventIdOf(em, source, item.externalId);
      const { event } = await matches.correctEvent(eventId, item.changes, source);
      results.push({ index: item.index, outcome: item.changes ? 'CORRECTED' : 'CANCELLED', event, error: null });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const code = String(error.extensions.code);
      results.push({ index: item.index, outcome: 'REJECTED', event: null, error: { code, message: error.message } });
    }
  }
  const count = (outcome: SourceCorrectionOutcome) => results.filter((r) => r.outcome === outcome).length;
  return { results, cancelled: count('CANCELLED'), corrected: count('CORRECTED'), rejected: count('REJECTED') };
}

async function eventIdOf(em: EntityManager, source: string, externalId: string): Promise<number> {
  const [row] = await selectRows<{ id: number }>(
    em.fork(),
    'select id from match_event where source = ? and external_id = ?',
    [source, externalId],
  );
  if (!row) throw new NotFoundError('MatchEvent', externalId);
  return row.id;
}
