import { describe, expect, it } from 'vitest';
import { RateLimits } from './rate-limits';

describe('RateLimits in memory', () => {
  it('admits a tenant up to its limit in a window, then refuses with the seconds left and the limit', async () => {
    const limits = new RateLimits({ redis: null, keyPrefix: 'unit' });
    for (let i = 0; i < 3; i++) expect(await limits.consume('requests', 1, 1, 3)).toBeNull();
    const refusal = await limits.consume('requests', 1, 1, 3);
    expect(refusal).toMatchObject({ kind: 'requests', limit: 3 });
    expect(refusal!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refusal!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await limits.consume('requests', 2, 1, 3)).toBeNull();
    expect(await limits.consume('cost', 1, 1, 3)).toBeNull();
  });

  it('counts points (cost) and refuses the consume that passes the limit', async () => {
    const limits = new RateLimits({ redis: null, keyPrefix: 'unit' });
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
