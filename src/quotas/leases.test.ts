import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Leases } from './leases';

describe('Leases in memory', () => {
  const leases = () => new Leases({ redis: null, keyPrefix: 'unit', logger: pino({ level: 'silent' }) });

  it('hands out at most `limit` leases per key, and one more once one is released', async () => {
    const store = leases();
    const first = await store.acquire('k', 2);
    const second = await store.acquire('k', 2);
    expect(first && second).toBeTruthy();
    expect(await store.acquire('k', 2)).toBeNull();
    expect(await store.acquire('other', 2)).not.toBeNull();
    first!.release();
    expect(await store.acquire('k', 2)).not.toBeNull();
    expect(await store.acquire('k', 2)).toBeNull();
  });

  it('releases a lease once however often it is released', async () => {
    const store = leases();
    const lease = await store.acquire('k', 2);
    await store.acquire('k', 2);
    lease!.release();
    lease!.release();
    expect(await store.acquire('k', 2)).not.toBeNull();
    expect(await store.acquire('k', 2)).toBeNull();
  });

  it('refuses everything under a limit of 0', async () => {
    expect(await leases().acquire('k', 0)).toBeNull();
  });
});
