import type { Logger } from '../logger';
import type { LiveUpdate } from './live-update';

/** Where the sequencer reads what pub/sub did not bring (see live-update.store.ts). */
export interface LiveUpdateSource {
  /**
   * The match's stored updates with `after < seq < before` (either bound may be null), and, when
   * `after` is null, created at or after `createdSince`; in sequence order.
   */
  between(matchId: number, after: number | null, before: number | null, createdSince: Date): Promise<LiveUpdate[]>;
  /** The latest sequence of each match with an update created at or after `createdSince`. */
  latest(createdSince: Date): Promise<Map<number, number>>;
}

interface MatchTrack {
  /** The last sequence handed on, or null before the first. */
  last: number | null;
  /** Updates that came ahead of a gap, by sequence. */
  pending: Map<number, LiveUpdate>;
  filling: boolean;
  seenAt: number;
}

/** Updates created this long before a window opened are still looked for (clocks of other instances, commit lag). */
const CLOCK_SLACK_MS = 10_000;
/** A match first seen looks back at most this far for updates pub/sub lost before it. */
const FIRST_SEEN_LOOKBACK_MS = 3_600_000;
/** A match with no update for this long is forgotten (its next update is a first sighting again). */
const FORGET_AFTER_MS = 6 * 3_600_000;

/**
 * One per process: takes every match's live updates from pub/sub (at most once, in any order,
 * several instances publishing) and hands them to local listeners exactly once and in sequence
 * order per match. A sequence jump holds the match's later updates back while the missing ones are
 * read from the database; a sweep every `sweepMs` (and on `resync`, after a pub/sub reconnect)
 * reads what was stored but never arrived, so a lost last update costs at most one sweep.
 */
export class LiveSequencer {
  private readonly tracks = new Map<number, MatchTrack>();
  private readonly listeners = new Set<(update: LiveUpdate) => void>();
  private readonly listeningSince: number;
  private sweptUntil: number;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly source: LiveUpdateSource,
    private readonly logger: Logger,
    private readonly sweepMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.listeningSince = this.now();
    this.sweptUntil = this.listeningSince;
  }

  /** Calls `listener` with every update from now on; returns a function that stops it. */
  listen(listener: (update: LiveUpdate) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer && this.sweepMs > 0) {
      // Sweeps look back from where the last one ended, or from now after an idle spell.
      if (this.listeners.size === 1) this.sweptUntil = Math.max(this.sweptUntil, this.now() - this.sweepMs);
      this.timer = setInterval(() => void this.sweep(), this.sweepMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** An update from pub/sub (or a read): handed on now, after the ones before it, or dropped as a repeat. */
  receive(update: LiveUpdate): void {
    const track = this.trackOf(update.matchId);
    if (track.last !== null && update.seq <= track.last) return;
    track.pending.set(update.seq, update);
    this.advance(update.matchId, track);
  }

  /** Reads every update stored since the last sweep that was not handed on (pub/sub reconnected, or the timer). */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private async sweepOnce(): Promise<void> {
    const startedAt = this.now();
    try {
      const latest = await this.source.latest(new Date(this.sweptUntil - CLOCK_SLACK_MS));
      for (const [matchId, seq] of latest) {
        const track = this.trackOf(matchId);
        if (track.filling || (track.last !== null && track.last >= seq)) continue;
        const maxPending = Math.max(0, ...track.pending.keys());
        if (maxPending >= seq) continue; // a gap already being dealt with
        await this.fill(matchId, track, seq + 1);
      }
      this.sweptUntil = startedAt;
      this.forgetIdle(startedAt);
    } catch (error) {
      this.logger.error({ err: error }, 'live feed sweep failed; the next one tries again');
    }
  }

  private trackOf(matchId: number): MatchTrack {
    let track = this.tracks.get(matchId);
    if (!track) {
      track = { last: null, pending: new Map(), filling: false, seenAt: this.now() };
      this.tracks.set(matchId, track);
    }
    track.seenAt = this.now();
    return track;
  }

  private advance(matchId: number, track: MatchTrack): void {
    if (track.filling) return;
    if (track.last === null && track.pending.has(1)) track.last = 0;
    this.drain(track);
    if (track.pending.size === 0) return;
    void this.fill(matchId, track, Math.min(...track.pending.keys()));
  }

  // Reads the match's updates before `before` that are missing, then hands on what is in order.
  private async fill(matchId: number, track: MatchTrack, before: number): Promise<void> {
    track.filling = true;
    try {
      const since = Math.max(this.listeningSince, this.now() - FIRST_SEEN_LOOKBACK_MS) - CLOCK_SLACK_MS;
      const missing = await this.source.between(matchId, track.last, before, new Date(since));
      for (const update of missing) {
        if (track.last === null || update.seq > track.last) track.pending.set(update.seq, update);
      }
    } catch (error) {
      this.logger.error({ err: error, matchId }, 'live feed could not read missed updates');
    } finally {
      track.filling = false;
    }
    if (track.pending.size === 0) return;
    const first = Math.min(...track.pending.keys());
    if (track.last === null) track.last = first - 1;
    if (first > track.last + 1) {
      // Not stored (any more) or unreadable: hand on what there is rather than hold the match back.
      this.logger.warn({ matchId, from: track.last + 1, to: first - 1 }, 'live feed skips updates it cannot read');
      track.last = first - 1;
    }
    this.drain(track);
    if (track.pending.size > 0) this.advance(matchId, track);
  }

  private drain(track: MatchTrack): void {
    if (track.last === null) return;
    for (let next = track.pending.get(track.last + 1); next; next = track.pending.get(track.last + 1)) {
      track.pending.delete(next.seq);
      track.last = next.seq;
      for (const listener of [...this.listeners]) {
        try {
          listener(next);
        } catch (error) {
          this.logger.error({ err: error, matchId: next.matchId }, 'live feed listener failed');
        }
      }
    }
  }

  private forgetIdle(now: number): void {
    for (const [matchId, track] of this.tracks) {
      if (now - track.seenAt > FORGET_AFTER_MS && track.pending.size === 0 && !track.filling) {
        this.tracks.delete(matchId);
      }
    }
  }
}
