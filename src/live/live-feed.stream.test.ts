import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { liveFeedStream } from './live-feed.stream';
import { LiveSequencer } from './live-sequencer';
import type { LiveUpdate } from './live-update';

const STARTED_AT = Date.parse('2026-12-07T12:00:00Z');

function update(matchId: number, seq: number, msAfterStart: number): LiveUpdate {
  return {
    matchId,
    seq,
    competitionId: 1,
    kind: 'EVENT_RECORDED',
    at: new Date(STARTED_AT + msAfterStart).toISOString(),
    match: { id: matchId } as LiveUpdate['match'],
  };
}

const noStore = { between: async () => [], latest: async () => new Map<number, number>() };

function feed(missed?: () => Promise<LiveUpdate[]>) {
  const sequencer = new LiveSequencer(noStore, createLogger('silent'), 0);
  const stream = liveFeedStream({ sequencer, fits: () => true, missed, now: () => STARTED_AT });
  const seen: [number, number][] = [];
  const reading = (async () => {
    for await (const u of stream) seen.push([u.matchId, u.seq]);
  })();
  const close = async () => {
    await stream.return?.(undefined);
    await reading;
  };
  return { sequencer, seen, close };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('liveFeedStream', () => {
  it('without since, skips what was stamped before it listened until the match has a newer update', async () => {
    const { sequencer, seen, close } = feed();
    await flush();
    // Seqs 1–3 of match 7 were committed before the subscription and reach the process late.
    sequencer.receive(update(7, 1, -900));
    sequencer.receive(update(7, 2, -20));
    sequencer.receive(update(8, 1, 5));
    sequencer.receive(update(7, 3, 10));
    sequencer.receive(update(7, 4, -5)); // a writer's clock slightly behind: the match is live for this feed now
    await flush();
    expect(seen).toEqual([
      [8, 1],
      [7, 3],
      [7, 4],
    ]);
    await close();
  });

  it('with since, hands on the missed updates however old they are, then the live ones, once each', async () => {
    const { sequencer, seen, close } = feed(async () => [update(7, 1, -60_000), update(7, 2, -30_000)]);
    await flush();
    sequencer.receive(update(7, 1, -60_000));
    sequencer.receive(update(7, 2, -30_000));
    sequencer.receive(update(7, 3, 10));
    await flush();
    await flush();
    expect(seen).toEqual([
      [7, 1],
      [7, 2],
      [7, 3],
    ]);
    await close();
  });
});
