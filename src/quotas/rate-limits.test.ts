import { describe, expect, it } from 'vitest';
import { RateLimits, secondsUntilWithin } from './rate-limits';

/** A clock the test moves, starting at `second` of a minute. */
function clockAt(second: number) {
  let now = Date.UTC(2030, 0, 1, 12, 0, second);
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('RateLimits in memory', () => {
  it('admits a tenant up to its limit, then refuses with the seconds to wait and the limit', async () => {
    const clock = clockAt(0);
    const limits = new RateLimits({ redis: null, keyPrefix: 'unit', now: clock.now });
    for (let i = 0; i < 3; i++) expect(await limits.consume('requests', 1, 1, 3)).toBeNull();
    const refusal = await limits.consume('requests', 1, 1, 3);
    // 4 counted, limit 3: the next minute must be a quarter through before 4 × ¾ ≤ 3.
    expect(refusal).toEqual({ kind: 'requests', limit: 3, retryAfterSeconds: 75 });
    expect(await limits.consume('requests', 2, 1, 3)).toBeNull();
    expect(await limits.consume('cost', 1, 1, 3)).toBeNull();
  });

  it('holds a burst across the minute boundary to the limit, where a fixed window would pass twice it', async () => {
    const clock = clockAt(59);
    const limits = new RateLimits({ redis: null, keyPrefix: 'unit', now: clock.now });
    for (let i = 0; i < 10; i++) expect(await limits.consume('requests', 1, 1, 10)).toBeNull();
    clock.advance(2); // one second into the next minute
    const refusal = await limits.consume('requests', 1, 1, 10);
    expect(refusal).toMatchObject({ kind: 'requests', limit: 10 });
    // 31 s into the minute the previous 10 weigh 10 × 29/60 ≈ 4.8: with the 1 refused, 4 more fit.
    clock.advance(30);
    for (let i = 0; i < 4; i++) expect(await limits.consume('requests', 1, 1, 10)).toBeNull();
    expect(await limits.consume('requests', 1, 1, 10)).not.toBeNull();
    // Two minutes later the past has no weight: the whole limit again.
    clock.advance(120);
    for (let i = 0; i < 10; i++) expect(await limits.consume('requests', 1, 1, 10)).toBeNull();
  });

  it('counts points (cost) and refuses the consume that passes the limit', async () => {
    const limits = new RateLimits({ redis: null, keyPrefix: 'unit', now: clockAt(0).now });
    expect(await limits.consume('cost', 1, 60, 100)).toBeNull();
    expect(await limits.consume('cost', 1, 40, 100)).toBeNull();
    expect(await limits.consume('cost', 1, 1, 100)).toMatchObject({ kind: 'cost', limit: 100 });
  });

  it('does not count nothing: a free operation is never refused', async () => {
    const limits = new RateLimits({ redis: null, keyPrefix: 'unit' });
    expect(await limits.consume('cost', 1, 5, 5)).toBeNull();
    expect(await limits.consume('cost', 1, 0, 5)).toBeNull();
  });
});

describe('secondsUntilWithin', () => {
  it('waits for the previous minute to weigh little enough, or for this one to become the previous', () => {
    // 6 earlier, 5 now, limit 8, 10 s in: from e = 1 − 3/6 = 0.5, i.e. 20 s more.
    expect(secondsUntilWithin(8, 5, 6, 10 / 60)).toBe(20);
    // 12 now, limit 8, 30 s in: 30 s to the next minute, then e = 1 − 8/12 (20 s).
    expect(secondsUntilWithin(8, 12, 0, 0.5)).toBe(50);
    expect(secondsUntilWithin(8, 8, 1, 0.9999)).toBe(1);
  });
});
