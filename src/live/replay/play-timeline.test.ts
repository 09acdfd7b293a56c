import { describe, expect, it } from 'vitest';
import { MatchEventType as T } from '../../matches/match.enums';
import { playTimeline } from './play-timeline';
import type { TimelineEvent } from './timeline';

const event = (at: number, type: T): TimelineEvent => ({ at, type, minute: Math.floor(at / 60), side: null });

describe('playTimeline', () => {
  it("sends each moment's events together, in order, at the speed asked", async () => {
    const timeline = [event(0, T.KICK_OFF), event(60, T.VAR_REVIEW), event(60, T.ADDED_TIME), event(120, T.HALF_TIME)];
    const sent: { types: T[]; after: number }[] = [];
    const started = Date.now();
    await playTimeline(timeline, {
      speed: 600, // 120 s of match in 200 ms
      send: async (batch) => {
        sent.push({ types: batch.map((e) => e.type), after: Date.now() - started });
      },
    });
    expect(sent.map((s) => s.types)).toEqual([[T.KICK_OFF], [T.VAR_REVIEW, T.ADDED_TIME], [T.HALF_TIME]]);
    expect(sent[1]!.after).toBeGreaterThanOrEqual(95);
    expect(sent[2]!.after).toBeGreaterThanOrEqual(195);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    const sent: T[] = [];
    const playing = playTimeline([event(0, T.KICK_OFF), event(600, T.HALF_TIME)], {
      speed: 60,
      signal: controller.signal,
      send: async (batch) => {
        sent.push(...batch.map((e) => e.type));
        controller.abort();
      },
    });
    await expect(playing).rejects.toThrow(/abort/i);
    expect(sent).toEqual([T.KICK_OFF]);
  });
});
