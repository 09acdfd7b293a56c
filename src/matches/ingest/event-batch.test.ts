import { describe, expect, it } from 'vitest';
import { InvalidStateError, NotFoundError } from '../../errors';
import { applyBatch, type BatchItem } from './event-batch';

describe('applyBatch', () => {
  it("applies each match's items in the given order, rejects expected failures alone, and answers every item", async () => {
    const applied: string[] = [];
    const items: BatchItem<string>[] = [
      { index: 0, matchId: 1, input: 'a1' },
      { index: 1, matchId: 2, input: 'b1' },
      { index: 2, error: new NotFoundError('Match', 9) },
      { index: 3, matchId: 1, input: 'a2-invalid' },
      { index: 4, matchId: 1, input: 'a3-duplicate' },
      { index: 5, matchId: 2, input: 'b2' },
    ];
    const outcomes = await applyBatch(items, async (input) => {
      await new Promise((resolve) => setTimeout(resolve, input.startsWith('a') ? 5 : 1));
      applied.push(input);
      if (input.endsWith('invalid')) throw new InvalidStateError('no');
      return { created: !input.endsWith('duplicate'), result: input };
    });
    expect(outcomes.map((o) => [o.index, o.outcome, o.error?.code ?? null])).toEqual([
      [0, 'RECORDED', null],
      [1, 'RECORDED', null],
      [2, 'REJECTED', 'NOT_FOUND'],
      [3, 'REJECTED', 'INVALID_STATE'],
      [4, 'DUPLICATE', null],
      [5, 'RECORDED', null],
    ]);
    expect(applied.filter((i) => i.startsWith('a'))).toEqual(['a1', 'a2-invalid', 'a3-duplicate']);
    expect(applied.filter((i) => i.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('stops on an unexpected error', async () => {
    const items: BatchItem<number>[] = [{ index: 0, matchId: 1, input: 1 }];
    await expect(
      applyBatch(items, () => {
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
  });
});
