import { Repeater } from '@graphql-yoga/subscription';
import type { LiveSequencer } from './live-sequencer';
import type { LiveUpdate } from './live-update';

/**
 * A `liveFeed`'s source: the process's ordered updates that `fits`, after the ones a resuming
 * client missed (`missed`, read from the database once listening has begun, so nothing falls
 * between the two). Each match's updates come once and in sequence order: one the read and the
 * live stream both bring is handed on the first time only.
 *
 * Without `missed`, the feed starts at the moment it starts listening: a match's updates stamped
 * before that (which reach the process late, through a slow pub/sub delivery or the sequencer's
 * read of what pub/sub lost) are the past the client reads as state or resumes with `since`, so
 * they are not handed on until the match's first update stamped after it.
 */
export function liveFeedStream(options: {
  sequencer: LiveSequencer;
  fits: (update: LiveUpdate) => boolean;
  missed?: () => Promise<LiveUpdate[]>;
  now?: () => number;
}): AsyncIterableIterator<LiveUpdate> {
  const { sequencer, fits, missed, now = Date.now } = options;
  return new Repeater<LiveUpdate>(async (push, stop) => {
    const delivered = new Map<number, number>();
    const startedAt = now();
    const handOn = (update: LiveUpdate): Promise<unknown> | undefined => {
      const last = delivered.get(update.matchId);
      if (last !== undefined && update.seq <= last) return undefined;
      delivered.set(update.matchId, update.seq);
      return push(update);
    };
    const isPast = (update: LiveUpdate) =>
      !missed && !delivered.has(update.matchId) && Date.parse(update.at) < startedAt;
    let held: LiveUpdate[] | null = missed ? [] : null;
    const stopListening = sequencer.listen((update) => {
      if (!fits(update) || isPast(update)) return;
      if (held) held.push(update);
      else void handOn(update);
    });
    if (missed) {
      try {
        // One at a time: a long backlog waits for its consumer instead of piling up.
        for (const update of await missed()) await handOn(update);
      } catch (error) {
        stopListening();
        stop(error);
        return;
      }
      const caughtUp = held ?? [];
      held = null;
      for (const update of caughtUp) void handOn(update);
    }
    await stop;
    stopListening();
  });
}
