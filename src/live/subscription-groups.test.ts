import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LiveSubscription } from './live-subscription';
import { SubscriptionGroups } from './subscription-groups';

/**
 * A source stream the test pushes results into, which stops at once when returned (like the
 * pub/sub's Repeater under graphql-js `subscribe()`); counts how often it started and stopped.
 */
function controlledSource() {
  const counts = { started: 0, returned: 0 };
  let push: (result: ExecutionResult) => void = () => {};
  const start = async () => {
    counts.started++;
    const queue: ExecutionResult[] = [];
    let waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
    push = (value) => {
      const resolve = waiting;
      waiting = null;
      if (resolve) resolve({ value, done: false });
      else queue.push(value);
    };
    const source = {
      next: () =>
        queue.length > 0
          ? Promise.resolve({ value: queue.shift()!, done: false })
          : new Promise<IteratorResult<ExecutionResult>>((resolve) => (waiting = resolve)),
      return: async () => {
        counts.returned++;
        waiting?.({ value: undefined, done: true });
        return { value: undefined, done: true as const };
      },
      [Symbol.asyncIterator]: () => source,
    };
    return source as unknown as AsyncGenerator<ExecutionResult>;
  };
  return { start, counts, push: (result: ExecutionResult) => push(result) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const format = (result: ExecutionResult) => ({ data: result.data });

describe('SubscriptionGroups', () => {
  it('starts one source for subscribers of the same key and serialises each result once for all', async () => {
    const groups = new SubscriptionGroups(format);
    const source = controlledSource();
    const received: string[][] = [[], []];
    const a = await groups.join('k', source.start, (json) => received[0]!.push(json));
    const b = await groups.join('k', source.start, (json) => received[1]!.push(json));
    source.push({ data: { n: 1 } });
    await tick();
    expect(source.counts.started).toBe(1);
    expect(received).toEqual([['{"data":{"n":1}}'], ['{"data":{"n":1}}']]);
    expect(received[0]![0]).toBe(received[1]![0]); // the same string, not an equal one
    expect(a).toBeInstanceOf(LiveSubscription);
    expect(b).toBeInstanceOf(LiveSubscription);
  });

  it('stops the source when the last subscriber leaves, and starts anew for the next one', async () => {
    const groups = new SubscriptionGroups(format);
    const source = controlledSource();
    const first = (await groups.join('k', source.start, () => {})) as LiveSubscription;
    const second = (await groups.join('k', source.start, () => {})) as LiveSubscription;
    await first.return();
    await tick();
    expect(source.counts.returned).toBe(0);
    await second.return();
    await tick();
    expect(source.counts.returned).toBe(1);

    const received: string[] = [];
    await groups.join('k', source.start, (json) => received.push(json));
    source.push({ data: { n: 2 } });
    await tick();
    expect(source.counts.started).toBe(2);
    expect(received).toEqual(['{"data":{"n":2}}']);
  });

  it('gives every subscriber waiting on a failed start its formatted errors, and retries on the next join', async () => {
    const groups = new SubscriptionGroups((result) => ({
      errors: result.errors?.map((error) => ({ message: error.message, extensions: { code: 'NOT_FOUND' } })),
    }));
    let starts = 0;
    const failing = async () => {
      starts++;
      return { errors: [new GraphQLError('Match 9 was not found')] };
    };
    const joined = await Promise.all([groups.join('k', failing, () => {}), groups.join('k', failing, () => {})]);
    expect(joined).toEqual([
      { errors: [{ message: 'Match 9 was not found', extensions: { code: 'NOT_FOUND' } }] },
      { errors: [{ message: 'Match 9 was not found', extensions: { code: 'NOT_FOUND' } }] },
    ]);
    await groups.join('k', failing, () => {});
    expect(starts).toBe(2);
  });

  it('ends its subscribers when the source ends or fails', async () => {
    const groups = new SubscriptionGroups(format);
    const failing = async () =>
      (async function* (): AsyncGenerator<ExecutionResult> {
        yield* [];
        await tick();
        throw new Error('pub/sub gone');
      })();
    const subscription = (await groups.join('k', failing, () => {})) as LiveSubscription;
    await expect(subscription.next()).rejects.toThrow('pub/sub gone');

    const ending = async () =>
      (async function* (): AsyncGenerator<ExecutionResult> {
        yield* [];
      })();
    const ended = (await groups.join('other', ending, () => {})) as LiveSubscription;
    expect(await ended.next()).toEqual({ value: undefined, done: true });
  });
});
