import type { ExecutionPayload, SubscriptionEnd, SubscriptionSink } from './subscriptions-client';

/** Counts problems and keeps the first few messages, for one warning line per scenario. */
export class ProblemLog {
  count = 0;
  private readonly samples: string[] = [];

  add(message: string): void {
    this.count += 1;
    if (this.samples.length < 3 && !this.samples.includes(message)) this.samples.push(message);
  }

  /** Writes a summary to stderr when anything went wrong. */
  report(scenario: string): void {
    if (this.count === 0) return;
    console.warn(`[bench:subscriptions] ${scenario}: ${this.count} errors, e.g. ${this.samples.join(' | ')}`);
  }
}

function payloadProblem(payload: ExecutionPayload): string | null {
  return payload.errors?.length ? `next with errors: ${JSON.stringify(payload.errors).slice(0, 300)}` : null;
}

function endProblem(reason: SubscriptionEnd): string {
  return `subscription ${reason.kind}: ${reason.detail.slice(0, 300)}`;
}

/**
 * Fan-out bookkeeping: for each subscription, when it received the warm-up event and the
 * measured event (told apart by the prediction's in-play minute), and whether it has ended.
 */
export class FanoutDeliveries {
  readonly warmupAt: Float64Array;
  readonly measuredAt: Float64Array;
  readonly problems = new ProblemLog();
  private readonly ended: Uint8Array;
  private warmupSettled = 0;
  private measuredSettled = 0;

  constructor(
    readonly size: number,
    private readonly minutes: { warmup: number; measured: number },
    private readonly minuteOf: (payload: ExecutionPayload) => number | null | undefined = predictionMinute,
  ) {
    this.warmupAt = new Float64Array(size).fill(Number.NaN);
    this.measuredAt = new Float64Array(size).fill(Number.NaN);
    this.ended = new Uint8Array(size);
  }

  sink(index: number): SubscriptionSink {
    return {
      next: (payload, receivedAt) => this.next(index, payload, receivedAt),
      end: (reason) => this.end(index, reason),
    };
  }

  /** Every subscription has the warm-up event or has ended. */
  warmupDone(): boolean {
    return this.warmupSettled >= this.size;
  }

  measuredDone(): boolean {
    return this.measuredSettled >= this.size;
  }

  /** Latencies of the measured event from `sentAt`, for the subscriptions that received it. */
  measuredLatencies(sentAt: number): number[] {
    const latencies: number[] = [];
    for (const at of this.measuredAt) if (!Number.isNaN(at)) latencies.push(at - sentAt);
    return latencies;
  }

  private next(index: number, payload: ExecutionPayload, receivedAt: number): void {
    const problem = payloadProblem(payload);
    if (problem) return this.problems.add(problem);
    const minute = this.minuteOf(payload);
    if (minute === this.minutes.warmup && Number.isNaN(this.warmupAt[index])) {
      this.warmupAt[index] = receivedAt;
      this.warmupSettled += 1;
    } else if (minute === this.minutes.measured && Number.isNaN(this.measuredAt[index])) {
      this.measuredAt[index] = receivedAt;
      this.measuredSettled += 1;
    }
  }

  private end(index: number, reason: SubscriptionEnd): void {
    if (this.ended[index]) return;
    this.ended[index] = 1;
    this.problems.add(endProblem(reason));
    if (Number.isNaN(this.warmupAt[index])) this.warmupSettled += 1;
    if (Number.isNaN(this.measuredAt[index])) this.measuredSettled += 1;
  }
}

/** The in-play minute of a `predictionUpdated` payload. */
export function predictionMinute(payload: ExecutionPayload): number | null | undefined {
  return (payload.data?.predictionUpdated as { inPlayMinute?: number | null } | undefined)?.inPlayMinute;
}

export type FeedKind = 'prediction' | 'match';

interface PredictionDelivery {
  predictionId: string;
  receivedAt: number;
}

interface MatchDelivery {
  matchIndex: number;
  goals: number;
  receivedAt: number;
}

/**
 * Ingest bookkeeping. A delivery is tied to the event that caused it: a prediction by its id
 * (returned by recordMatchEvent), a match by its goal count (every event is a goal, so the
 * n-th goal of a match is its n-th event). The warm-up goal (told apart by its minute and goal
 * count, which no later event repeats) only marks a subscription as live.
 */
export class IngestDeliveries {
  readonly problems = new ProblemLog();
  private readonly predictions: PredictionDelivery[] = [];
  private readonly matchUpdates: MatchDelivery[] = [];
  private readonly warmedUp: Uint8Array;
  private readonly ended: Uint8Array;
  private settled = 0;

  constructor(
    readonly size: number,
    private readonly warmup: { minute: number; goals: number },
  ) {
    this.warmedUp = new Uint8Array(size);
    this.ended = new Uint8Array(size);
  }

  /** Every event received after the warm-up, tied to an answered event or not. */
  get received(): number {
    return this.predictions.length + this.matchUpdates.length;
  }

  sink(index: number, kind: FeedKind, matchIndex: number): SubscriptionSink {
    return {
      next: (payload, receivedAt) => {
        const problem = payloadProblem(payload);
        if (problem) return this.problems.add(problem);
        if (kind === 'prediction') this.onPrediction(index, payload, receivedAt);
        else this.onMatch(index, matchIndex, payload, receivedAt);
      },
      end: (reason) => {
        if (this.ended[index]) return;
        this.ended[index] = 1;
        this.problems.add(endProblem(reason));
        if (!this.warmedUp[index]) this.settled += 1;
      },
    };
  }

  /** Every subscription has had the warm-up event or has ended. */
  warmupDone(): boolean {
    return this.settled >= this.size;
  }

  /**
   * Latency of each delivery of an acknowledged event: `predictionSentAt` maps the prediction
   * ids of answered events, `matchSentAt(matchIndex, goals)` their goal numbers, to send times.
   */
  latencies(
    predictionSentAt: Map<string, number>,
    matchSentAt: (matchIndex: number, goals: number) => number | undefined,
  ): number[] {
    const latencies: number[] = [];
    for (const d of this.predictions) {
      const sentAt = predictionSentAt.get(d.predictionId);
      if (sentAt !== undefined) latencies.push(d.receivedAt - sentAt);
    }
    for (const d of this.matchUpdates) {
      const sentAt = matchSentAt(d.matchIndex, d.goals);
      if (sentAt !== undefined) latencies.push(d.receivedAt - sentAt);
    }
    return latencies;
  }

  private onPrediction(index: number, payload: ExecutionPayload, receivedAt: number): void {
    const prediction = payload.data?.predictionUpdated as { id: string; inPlayMinute: number | null } | undefined;
    if (!prediction) return;
    if (prediction.inPlayMinute === this.warmup.minute) return this.markWarm(index);
    this.predictions.push({ predictionId: prediction.id, receivedAt });
  }

  private onMatch(index: number, matchIndex: number, payload: ExecutionPayload, receivedAt: number): void {
    const match = payload.data?.matchUpdated as { homeGoals: number | null; awayGoals: number | null } | undefined;
    if (!match) return;
    const goals = (match.homeGoals ?? 0) + (match.awayGoals ?? 0);
    if (goals === this.warmup.goals) return this.markWarm(index);
    this.matchUpdates.push({ matchIndex, goals, receivedAt });
  }

  private markWarm(index: number): void {
    if (this.warmedUp[index] || this.ended[index]) return;
    this.warmedUp[index] = 1;
    this.settled += 1;
  }
}
