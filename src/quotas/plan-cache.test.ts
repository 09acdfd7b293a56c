import { describe, expect, it } from 'vitest';
import type { PlanType } from '../tenants/plan.types';
import { PlanCache } from './plan-cache';

const plan = (name: string) => ({ id: 1, name }) as PlanType;

describe('PlanCache', () => {
  it('reads a tenant once for concurrent and later requests within its lifetime', async () => {
    const reads: number[] = [];
    const cache = new PlanCache(async (tenantId) => {
      reads.push(tenantId);
      return plan('standard');
    });
    const [a, b] = await Promise.all([cache.get(1), cache.get(1)]);
    expect(a.name).toBe('standard');
    expect(b).toBe(a);
    await cache.get(1);
    await cache.get(2);
    expect(reads).toEqual([1, 2]);
  });

  it('reads again after `forget`, and does not keep a read that raced it', async () => {
    let name = 'standard';
    let release: () => void = () => {};
    const cache = new PlanCache(async () => {
      const read = name;
      await new Promise<void>((resolve) => (release = resolve));
      return plan(read);
    });
    const racing = cache.get(1);
    name = 'pro';
    cache.forget(1);
    release();
    expect((await racing).name).toBe('standard');
    const fresh = cache.get(1);
    release();
    expect((await fresh).name).toBe('pro');
  });

  it('reads again after its lifetime, and after a failed read', async () => {
    let reads = 0;
    const cache = new PlanCache(async () => {
      reads += 1;
      if (reads === 1) throw new Error('database away');
      return plan('standard');
    }, 20);
    await expect(cache.get(1)).rejects.toThrow('database away');
    await cache.get(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await cache.get(1);
    expect(reads).toBe(3);
  });
});
