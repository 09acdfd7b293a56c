import type { SubscriptionSink } from './subscriptions-client';
import { ProblemLog } from './subscriptions-tracking';

/** The fields of a `liveFeed` update the bench reads (see LIVE_FEED_SUBSCRIPTION). */
export interface LiveFeedItem {
  __typename: string;
  sequence: number;
  match: { id: string; homeGoals: number | null; awayGoals: number | null };
  prediction?: { inPlayMinute: number | null } | null;
}

export const LIVE_FEED_SUBSCRIPTION = `subscription BenchLiveFeed($filter: LiveFeedFilter, $since: LiveFeedSince) {
  liveFeed(filter: $filter, since: $since) {
    __typename sequence at
    match { id status minute homeGoals awayGoals }
    ... on MatchEventRecorded { event { id type minute } prediction { id inPlayMinute homeWin draw awayWin } }
  }
}`;

export const goalsOf = (item: LiveFeedItem) => (item.match.homeGoals ?? 0) + (item.match.awayGoals ?? 0);

/**
 * Bookkeeping of many `liveFeed` subscriptions over several matches. Every update is checked
 * against the one its subscription had before of the same match: the sequence must be one more
 * (a gap, a repeat or a step back is a problem). Updates are tied to the event that caused them
 * by match and goal count (every event after kick-off is a goal). An update with `warmupGoals`
 * goals only marks its subscription as live.
 */
export class LiveFeedDeliveries {
  readonly problems = new ProblemLog();
  /** Per delivery after the warm-up: match index × 1e6 + goals, and the receive time. */
  readonly keys: number[] = [];
  readonly receivedAt: number[] = [];
  private readonly lastSequence: Map<number, number>[];
  private readonly warmedUp: Uint8Array;
  private readonly ended: Uint8Array;
  private settled = 0;

  constructor(
    readonly size: number,
    private readonly matchIndexById: Map<string, number>,
    private readonly warmupGoals: number,
  ) {
    this.lastSequence = Array.from({ length: size }, () => new Map());
    this.warmedUp = new Uint8Array(size);
    this.ended = new Uint8Array(size);
  }

  sink(index: number): SubscriptionSink {
    return {
      next: (payload, receivedAt) => {
        if (payload.errors?.length) return this.problems.add(`next with errors: ${JSON.stringify(payload.errors)}`);
        const item = payload.data?.liveFeed as LiveFeedItem | undefined;
        if (item) this.receive(index, item, receivedAt);
      },
      end: (reason) => {
        if (this.ended[index]) return;
        this.ended[index] = 1;
        this.problems.add(`subscription ${reason.kind}: ${reason.detail.slice(0, 300)}`);
        if (!this.warmedUp[index]) this.settled += 1;
      },
    };
  }

  warmupDone(): boolean {
    return this.settled >= this.size;
  }

  /** Latency of each delivery whose event was acknowledged (`sentAt` of its key). */
  latencies(sentAt: (key: number) => number | undefined): number[] {
    const latencies: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const sent = sentAt(this.keys[i]!);
      if (sent !== undefined) latencies.push(this.receivedAt[i]! - sent);
    }
    return latencies;
  }

  private receive(index: number, item: LiveFeedItem, receivedAt: number): void {
    const matchIndex = this.matchIndexById.get(item.match.id);
    // Another scenario's match of a followed competition or team: a fresh server's first sweep
    // hands on updates stored seconds before it started (live-sequencer.ts, CLOCK_SLACK_MS).
    if (matchIndex === undefined) return;
    const last = this.lastSequence[index]!.get(matchIndex);
    if (last !== undefined && item.sequence !== last + 1) {
      this.problems.add(`match ${matchIndex}: sequence ${item.sequence} after ${last}`);
    }
    this.lastSequence[index]!.set(matchIndex, item.sequence);
    const goals = goalsOf(item);
    if (goals === this.warmupGoals) {
      if (!this.warmedUp[index] && !this.ended[index]) {
        this.warmedUp[index] = 1;
        this.settled += 1;
      }
      return;
    }
    this.keys.push(eventKey(matchIndex, goals));
    this.receivedAt.push(receivedAt);
  }
}

export function eventKey(matchIndex: number, goals: number): number {
  return matchIndex * 1_000_000 + goals;
}
