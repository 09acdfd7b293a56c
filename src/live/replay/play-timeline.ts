import { setTimeout as sleep } from 'node:timers/promises';
import type { TimelineEvent } from './timeline';

export interface PlayProgress {
  /** Events sent so far, and in all. */
  sent: number;
  total: number;
  /** The events just sent (those of one moment go in one batch). */
  batch: readonly TimelineEvent[];
}

export interface PlayOptions {
  /** Match seconds per wall-clock second: 60 plays a minute of the match each second. */
  speed: number;
  /** Sends one moment's events through the ingest path. */
  send: (batch: readonly TimelineEvent[]) => Promise<void>;
  onProgress?: (progress: PlayProgress) => void;
  /** Stops the replay between two batches (the promise then rejects with an AbortError). */
  signal?: AbortSignal;
}

/**
 * Plays a timeline in real time scaled by `speed`: each moment's events are sent together when
 * its time comes, and the next wait starts once they are acknowledged, so a slow server delays
 * the replay instead of reordering it.
 */
export async function playTimeline(timeline: readonly TimelineEvent[], options: PlayOptions): Promise<void> {
  if (!(options.speed > 0)) throw new RangeError('speed must be above 0');
  const started = Date.now();
  let sent = 0;
  for (const batch of moments(timeline)) {
    const wait = started + (batch[0]!.at * 1000) / options.speed - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal });
    options.signal?.throwIfAborted();
    await options.send(batch);
    sent += batch.length;
    options.onProgress?.({ sent, total: timeline.length, batch });
  }
}

/** Consecutive events at the same second, as batches. */
export function moments(timeline: readonly TimelineEvent[]): TimelineEvent[][] {
  const batches: TimelineEvent[][] = [];
  for (const event of timeline) {
    const last = batches.at(-1);
    if (last && last[0]!.at === event.at) last.push(event);
    else batches.push([event]);
  }
  return batches;
}
