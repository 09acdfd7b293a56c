import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { LiveSequencer, type LiveUpdateSource } from './live-sequencer';
import type { LiveUpdate } from './live-update';

function update(matchId: number, seq: number): LiveUpdate {
  return {
    matchId,
    seq,
    competitionId: 1,
    kind: 'EVENT_RECORDED',
    at: new Date().toISOString(),
    match: { id: matchId } as LiveUpdate['match'],
  };
}

/** A store holding `stored` (what was committed), counting its reads. */
function storeOf(stored: LiveUpdate[]): LiveUpdateSource & { reads: number } {
  const source = {
    reads: 0,
    async between(matchId: number, after: number | null, before: number | null) {
      source.reads++;
      return stored.filter((u) => u.matchId === matchId && u.seq > (after ?? 0) && (before === null || u.seq < before));
    },
    async latest() {
      const latest = new Map<number, number>();
      for (const u of stored) latest.set(u.matchId, Math.max(latest.get(u.matchId) ?? 0, u.seq));
      return latest;
    },
  };
  return source;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function sequencerWith(stored: LiveUpdate[]) {
  const store = storeOf(stored);
  const sequencer = new LiveSequencer(store, createLogger('silent'), 0);
  const handed: [number, number][] = [];
  sequencer.listen((u) => handed.push([u.matchId, u.seq]));
  return { sequencer, store, handed };
}

describe('LiveSequencer', () => {
  it('hands on in sequence order, each update once, without reading when nothing is missing', async () => {
    const { sequencer, store, handed } = sequencerWith([]);
    for (const seq of [1, 2, 2, 3, 1]) sequencer.receive(update(7, seq));
    await flush();
    expect(handed).toEqual([
      [7, 1],
      [7, 2],
      [7, 3],
    ]);
    expect(store.reads).toBe(0);
  });

  it('holds a match back at a gap until the missing updates are read, other matches unaffected', async () => {
    const stored = [1, 2, 3, 4].map((seq) => update(7, seq));
    const { sequencer, handed } = sequencerWith(stored);
    sequencer.receive(update(7, 1));
    sequencer.receive(update(7, 4)); // 2 and 3 were lost
    sequencer.receive(update(8, 1));
    expect(handed).toEqual([
      [7, 1],
      [8, 1],
    ]);
    await flush();
    sequencer.receive(update(7, 3)); // arrives late: a repeat by now
    expect(handed).toEqual([
      [7, 1],
      [8, 1],
      [7, 2],
      [7, 3],
      [7, 4],
    ]);
  });

  it('a sweep hands on what was stored but never arrived', async () => {
    const stored = [update(7, 1), update(7, 2), update(9, 1)];
    const { sequencer, handed } = sequencerWith(stored);
    sequencer.receive(update(7, 1));
    await sequencer.sweep();
    expect(handed).toEqual([
      [7, 1],
      [7, 2],
      [9, 1],
    ]);
    await sequencer.sweep();
    expect(handed).toHaveLength(3);
  });

  it('skips what cannot be read rather than hold the match back for good', async () => {
    const { sequencer, handed } = sequencerWith([]); // 2 is not stored (any more)
    sequencer.receive(update(7, 1));
    sequencer.receive(update(7, 3));
    await flush();
    expect(handed).toEqual([
      [7, 1],
      [7, 3],
    ]);
  });
});
