import { isAppError } from '../../errors';

/** Most events one `ingestMatchEvents` call (or webhook body) may carry. */
export const MAX_EVENTS_PER_BATCH = 1000;

/** Matches whose events are applied at once; each match's events one after another. */
export const MATCHES_IN_PARALLEL = 4;

export type IngestOutcomeKind = 'RECORDED' | 'DUPLICATE' | 'REJECTED';

export interface BatchItemOutcome<Result> {
  index: number;
  outcome: IngestOutcomeKind;
  result: Result | null;
  error: { code: string; message: string } | null;
}

/** A batch item: its match, or the error that kept it from naming one (a bad id). */
export type BatchItem<Input> = { index: number; matchId: number; input: Input } | { index: number; error: unknown };

/** What became of one item of a match's group: applied (new or a repeat), or the error that refused it. */
export type GroupItemResult<Result> = { created: boolean; result: Result } | { error: unknown };

/**
 * Applies a batch: each match's items in the order given, one at a time (each in its own
 * transaction, as `apply` does), matches side by side. An expected failure (an AppError) rejects
 * that item only, with its code; anything else stops the batch and is thrown, leaving what was
 * applied applied: a retry of the same batch answers those items DUPLICATE.
 */
export function applyBatch<Input, Result>(
  items: readonly BatchItem<Input>[],
  apply: (input: Input) => Promise<{ created: boolean; result: Result }>,
): Promise<BatchItemOutcome<Result>[]> {
  return applyBatchByMatch(items, async (inputs) => {
    const results: GroupItemResult<Result>[] = [];
    for (const input of inputs) {
      try {
        results.push(await apply(input));
      } catch (error) {
        if (!isAppError(error)) throw error;
        results.push({ error });
      }
    }
    return results;
  });
}

/**
 * As `applyBatch`, with each match's items handed to `applyGroup` at once (so it can apply them
 * in one transaction); it answers every item in the order given. A thrown error stops the batch.
 */
export async function applyBatchByMatch<Input, Result>(
  items: readonly BatchItem<Input>[],
  applyGroup: (inputs: Input[]) => Promise<GroupItemResult<Result>[]>,
): Promise<BatchItemOutcome<Result>[]> {
  const outcomes: BatchItemOutcome<Result>[] = new Array(items.length);
  const byMatch = new Map<number, { index: number; input: Input }[]>();
  for (const item of items) {
    if ('error' in item) outcomes[item.index] = rejected(item.index, item.error);
    else byMatch.set(item.matchId, [...(byMatch.get(item.matchId) ?? []), item]);
  }
  const queue = [...byMatch.values()];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      const results = await applyGroup(group.map((item) => item.input));
      group.forEach(({ index }, k) => {
        const applied = results[k]!;
        outcomes[index] =
          'error' in applied
            ? rejected(index, applied.error)
            : { index, outcome: applied.created ? 'RECORDED' : 'DUPLICATE', result: applied.result, error: null };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(MATCHES_IN_PARALLEL, queue.length) }, worker));
  return outcomes;
}

function rejected<Result>(index: number, error: unknown): BatchItemOutcome<Result> {
  if (!isAppError(error)) throw error;
  return {
    index,
    outcome: 'REJECTED',
    result: null,
    error: { code: String(error.extensions.code), message: error.message },
  };
}
