import { describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache';

const answer = (text: string) => ({ data: { text } });

describe('ResponseCache', () => {
  it('runs concurrent misses of one key once and keeps the answer', async () => {
    const cache = new ResponseCache(60_000);
    let runs = 0;
    const execute = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return answer('a');
    };
    const [one, two] = await Promise.all([cache.getOrExecute('k', execute), cache.getOrExecute('k', execute)]);
    expect(one).toEqual(answer('a'));
    expect(two).toBe(one);
    expect(await cache.getOrExecute('k', execute)).toBe(one);
    expect(runs).toBe(1);
  });

  it('does not keep an answer computed across a clear, nor one with errors, nor one over 1 MiB', async () => {
    const cache = new ResponseCache(60_000);
    await cache.getOrExecute('across', async () => {
      cache.clear();
      return answer('old');
    });
    await cache.getOrExecute('failed', async () => ({ data: null, errors: [] as never[] }));
    await cache.getOrExecute('huge', async () => answer('x'.repeat(1024 * 1024)));
    expect(cache.size).toBe(0);
  });
});
