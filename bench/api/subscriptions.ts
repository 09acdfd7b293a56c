import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LIVE_FEED_SUBSCRIPTION, type LiveFeedItem } from './live-feed-tracking';
import {
  closeSockets,
  openSockets,
  type BenchSocket,
  type ExecutionPayload,
  type SubscriptionSink,
} from './subscriptions-client';
import {
  createMatches,
  finishMatches,
  newRunId,
  recordEvent,
  type BenchMatch,
  type RecordedBenchEvent,
} from './subscriptions-fixtures';
import { readRssBytes, summarize, waitForQuietServer, waitUntil } from './subscriptions-probe';
import {
  FanoutDeliveries,
  IngestDeliveries,
  predictionMinute,
  ProblemLog,
  type FeedKind,
} from './subscriptions-tracking';

/**
 * Subscription scenarios of `npm run bench:api`: fan-out of one event to N subscribers of a
 * match, and ingest → push latency under a steady stream of events. Both create their own
 * matches through the API (a season and two teams looked up by queries), so they can run
 * against any database with at least one season, and end them (full time) afterwards.
 */

export interface SubscriptionBenchTarget {
  /** GraphQL over HTTP, e.g. `http://127.0.0.1:4000/graphql`. */
  httpUrl: string;
  /** graphql-ws on the same path, e.g. `ws://127.0.0.1:4000/graphql`. */
  wsUrl: string;
  /** An ADMIN key: the scenarios create matches and record events. */
  apiKey: string;
  /** The server process, whose RSS and CPU time are read from /proc. */
  serverPid: number;
}

/** Latencies in ms from just before the event's mutation is sent; over the subscribers that received it. */
export interface FanoutResult {
  subscribers: number;
  sockets: number;
  received: number;
  /** Subscribers that had no event within `timeoutMs`, including subscriptions the server ended. */
  missing: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Server VmRSS before the sockets open, and with every subscription open before any event reaches them. */
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** (rssAfter - rssBefore) / subscribers. */
  bytesPerSubscription: number;
}

/** Latencies in ms from just before an event's mutation is sent to each delivery it caused. */
export interface IngestPushResult {
  eventsSent: number;
  /** Events recordMatchEvent answered with `created: true`. */
  eventsAcked: number;
  /** Pushes of acknowledged events received by their subscribers (the warm-up goal excluded). */
  deliveries: number;
  /** Acknowledged events × the subscribers of their match. */
  expectedDeliveries: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Failed or timed-out mutations, subscriptions the server ended, deliveries carrying errors. */
  errors: number;
}

const PREDICTION_SUBSCRIPTION = `subscription BenchPrediction($matchId: ID!) {
  predictionUpdated(matchId: $matchId) {
    id modelName inPlayMinute homeWin draw awayWin
    match { homeGoals awayGoals minute status }
  }
}`;

/** What a fan-out subscribes to: a document on one match, and how its payload gives the in-play minute. */
export interface FanoutFeed {
  name: string;
  query: string;
  variables: (matchId: string) => Record<string, unknown>;
  minuteOf: (payload: ExecutionPayload) => number | null | undefined;
}

export const PREDICTION_FEED: FanoutFeed = {
  name: 'predictionUpdated',
  query: PREDICTION_SUBSCRIPTION,
  variables: (matchId) => ({ matchId }),
  minuteOf: predictionMinute,
};

export const LIVE_FEED: FanoutFeed = {
  name: 'liveFeed',
  query: LIVE_FEED_SUBSCRIPTION,
  variables: (matchId) => ({ filter: { matches: [matchId] } }),
  minuteOf: (payload) => (payload.data?.liveFeed as LiveFeedItem | undefined)?.prediction?.inPlayMinute,
};

const MATCH_SUBSCRIPTION = `subscription BenchMatch($matchId: ID!) {
  matchUpdated(matchId: $matchId) { id status minute homeGoals awayGoals }
}`;

const CONNECT = { concurrency: 50, timeoutMs: 10_000 };
/** Longest wait for the server to finish setting up or tearing down subscriptions. */
const QUIET_MAX_MS = 30_000;
const SETTLE_MS = 1_000;
const MUTATION_TIMEOUT_MS = 10_000;
const INGEST_WARMUP_TIMEOUT_MS = 30_000;
/** After the last event's answer, how long deliveries may still arrive. */
const INGEST_DRAIN_MS = 10_000;
const INGEST_PER_SOCKET = 100;

/**
 * One event to `subscribers` subscriptions of `predictionUpdated` on one new match, spread
 * over `subscribers / perSocket` sockets. Before the baseline RSS, one subscription receives the
 * kick-off, so one-off costs of the code path (compilation, caches) are not counted per
 * subscription. RSS "after" is read once the server has gone quiet with every subscription
 * open. graphql-ws does not acknowledge a subscribe, so a warm-up goal must then reach every
 * subscription before the measured goal is sent.
 */
export async function runFanout(
  target: SubscriptionBenchTarget,
  opts: { subscribers: number; perSocket: number; timeoutMs: number; feed?: FanoutFeed },
): Promise<FanoutResult> {
  const feed = opts.feed ?? PREDICTION_FEED;
  const runId = newRunId();
  const [match] = await createMatches(target, 1);
  const mutationTimeoutMs = Math.max(MUTATION_TIMEOUT_MS, opts.timeoutMs);
  try {
    await primeServer(target, match!, runId, opts.timeoutMs, feed);
    const rssBeforeBytes = await idleRss(target.serverPid, QUIET_MAX_MS);
    const sockets = await openSockets(
      target.wsUrl,
      target.apiKey,
      Math.ceil(opts.subscribers / opts.perSocket),
      CONNECT,
    );
    try {
      const deliveries = new FanoutDeliveries(opts.subscribers, { warmup: 1, measured: 2 }, feed.minuteOf);
      subscribeAll(sockets, opts.subscribers, opts.perSocket, (index) => ({
        query: feed.query,
        variables: feed.variables(match!.id),
        sink: deliveries.sink(index),
      }));
      const rssAfterBytes = await idleRss(target.serverPid, Math.max(QUIET_MAX_MS, opts.timeoutMs));
      await recordGoal(target, match!, runId, 1, mutationTimeoutMs);
      await waitUntil(() => deliveries.warmupDone(), opts.timeoutMs);
      await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
      const sentAt = performance.now();
      // Deliveries can arrive before the mutation's answer: wait for both.
      const [answer] = await Promise.allSettled([
        recordGoal(target, match!, runId, 2, mutationTimeoutMs),
        waitUntil(() => deliveries.measuredDone(), opts.timeoutMs),
      ]);
      if (answer.status === 'rejected') throw answer.reason;
      deliveries.problems.report(`fan-out to ${opts.subscribers}`);
      const latencies = deliveries.measuredLatencies(sentAt);
      return {
        subscribers: opts.subscribers,
        sockets: sockets.length,
        received: latencies.length,
        missing: opts.subscribers - latencies.length,
        ...summarize(latencies),
        rssBeforeBytes,
        rssAfterBytes,
        bytesPerSubscription: Math.round((rssAfterBytes - rssBeforeBytes) / opts.subscribers),
      };
    } finally {
      await closeSockets(sockets);
    }
  } finally {
    await finishMatches(target, [match!], runId);
  }
}

/** Kicks the match off with one subscriber on it, and waits for that subscriber's event. */
async function primeServer(
  target: SubscriptionBenchTarget,
  match: BenchMatch,
  runId: string,
  timeoutMs: number,
  feed: FanoutFeed,
) {
  const sockets = await openSockets(target.wsUrl, target.apiKey, 1, CONNECT);
  try {
    const deliveries = new FanoutDeliveries(1, { warmup: 0, measured: -1 }, feed.minuteOf);
    subscribeAll(sockets, 1, 1, () => ({
      query: feed.query,
      variables: feed.variables(match.id),
      sink: deliveries.sink(0),
    }));
    await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
    const kickOff = { matchId: match.id, type: 'KICK_OFF', minute: 0, externalId: `${runId}-kickoff` } as const;
    await recordEvent(target, kickOff, Math.max(MUTATION_TIMEOUT_MS, timeoutMs));
    await waitUntil(() => deliveries.warmupDone(), timeoutMs);
    deliveries.problems.report('fan-out priming');
  } finally {
    await closeSockets(sockets);
  }
}

/**
 * Goal number `goal` of the match, home and away in turn, at minute `goal` (at most 150, the
 * last minute the API accepts; goals may share a minute).
 */
function recordGoal(
  target: SubscriptionBenchTarget,
  match: BenchMatch,
  runId: string,
  goal: number,
  timeoutMs = MUTATION_TIMEOUT_MS,
): Promise<RecordedBenchEvent> {
  return recordEvent(
    target,
    {
      matchId: match.id,
      type: 'GOAL',
      minute: Math.min(goal, 150),
      teamId: goal % 2 === 1 ? match.homeTeamId : match.awayTeamId,
      externalId: `${runId}-${match.id}-goal-${goal}`,
    },
    timeoutMs,
  );
}

/** Server RSS once it is idle: after a pause and the server going quiet (at most `maxWaitMs`). */
async function idleRss(pid: number, maxWaitMs: number): Promise<number> {
  await sleep(SETTLE_MS);
  await waitForQuietServer(pid, { maxWaitMs });
  return readRssBytes(pid);
}

/**
 * `matches` live matches with `subscribers` spread evenly over them, alternately on
 * predictionUpdated and matchUpdated; then goals at `eventsPerSecond`, round-robin over the
 * matches, for `durationSeconds`, each sent on schedule without waiting for earlier answers.
 * Each subscription first receives one warm-up goal, which proves it is live.
 */
export async function runIngestPush(
  target: SubscriptionBenchTarget,
  opts: { subscribers: number; matches: number; eventsPerSecond: number; durationSeconds: number },
): Promise<IngestPushResult> {
  const runId = newRunId();
  const matches = await createMatches(target, opts.matches);
  try {
    await kickOff(target, matches, runId);
    const sockets = await openSockets(
      target.wsUrl,
      target.apiKey,
      Math.ceil(opts.subscribers / INGEST_PER_SOCKET),
      CONNECT,
    );
    try {
      const deliveries = new IngestDeliveries(opts.subscribers, { minute: 1, goals: 1 });
      const perMatch = subscribeIngest(sockets, matches, opts.subscribers, deliveries);
      await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
      await ingestWarmup(target, matches, runId, deliveries);
      const stream = new EventStream(target, matches, runId);
      await stream.run(opts.eventsPerSecond, opts.durationSeconds);
      const expectedDeliveries = stream.ackedPerMatch.reduce((sum, acked, i) => sum + acked * perMatch[i]!, 0);
      const latencies = () => deliveries.latencies(stream.sentAtByPrediction, (m, goals) => stream.sentAt(m, goals));
      await waitUntil(() => latencies().length >= expectedDeliveries, INGEST_DRAIN_MS, 100);
      const delivered = latencies();
      stream.problems.report('ingest mutations');
      deliveries.problems.report('ingest subscriptions');
      reportUnanswered(deliveries.received - delivered.length);
      return {
        eventsSent: stream.sent,
        eventsAcked: stream.acked,
        deliveries: delivered.length,
        expectedDeliveries,
        ...summarize(delivered),
        errors: stream.problems.count + deliveries.problems.count,
      };
    } finally {
      await closeSockets(sockets);
    }
  } finally {
    // Events the server still has queued would delay the full-time whistles past their timeout.
    await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
    await finishMatches(target, matches, runId);
  }
}

// Events whose mutation failed or timed out can still be committed and pushed; they are not
// counted as deliveries (they are not expected), only mentioned.
function reportUnanswered(count: number): void {
  if (count === 0) return;
  console.warn(`[bench:subscriptions] ingest: ${count} further deliveries of events whose mutation got no answer`);
}

async function kickOff(target: SubscriptionBenchTarget, matches: BenchMatch[], runId: string): Promise<void> {
  for (const match of matches) {
    await recordEvent(target, {
      matchId: match.id,
      type: 'KICK_OFF',
      minute: 0,
      externalId: `${runId}-ko-${match.id}`,
    });
  }
}

/** Subscribes; returns the number of subscriptions on each match. */
function subscribeIngest(
  sockets: BenchSocket[],
  matches: BenchMatch[],
  subscribers: number,
  deliveries: IngestDeliveries,
): number[] {
  const perMatch = matches.map(() => 0);
  subscribeAll(sockets, subscribers, INGEST_PER_SOCKET, (index) => {
    const matchIndex = index % matches.length;
    const kind: FeedKind = Math.floor(index / matches.length) % 2 === 0 ? 'prediction' : 'match';
    perMatch[matchIndex]! += 1;
    return {
      query: kind === 'prediction' ? PREDICTION_SUBSCRIPTION : MATCH_SUBSCRIPTION,
      variables: { matchId: matches[matchIndex]!.id },
      sink: deliveries.sink(index, kind, matchIndex),
    };
  });
  return perMatch;
}

async function ingestWarmup(
  target: SubscriptionBenchTarget,
  matches: BenchMatch[],
  runId: string,
  deliveries: IngestDeliveries,
): Promise<void> {
  await Promise.all(matches.map((match) => recordGoal(target, match, runId, 1)));
  await waitUntil(() => deliveries.warmupDone(), INGEST_WARMUP_TIMEOUT_MS);
}

/** Subscription `index` goes to socket `floor(index / perSocket)`. */
function subscribeAll(
  sockets: BenchSocket[],
  subscribers: number,
  perSocket: number,
  subscription: (index: number) => { query: string; variables: Record<string, unknown>; sink: SubscriptionSink },
): void {
  for (let index = 0; index < subscribers; index++) {
    const { query, variables, sink } = subscription(index);
    sockets[Math.floor(index / perSocket)]!.subscribe(query, variables, sink);
  }
}

/**
 * Open-loop stream of goals. Event k goes to match k mod M as that match's goal number
 * 2, 3, … (goal 1 was the warm-up).
 */
class EventStream {
  sent = 0;
  acked = 0;
  readonly ackedPerMatch: number[];
  readonly sentAtByPrediction = new Map<string, number>();
  readonly problems = new ProblemLog();
  private readonly sentAtByGoal = new Map<number, number>();
  private readonly ackedGoals = new Set<number>();
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly target: SubscriptionBenchTarget,
    private readonly matches: BenchMatch[],
    private readonly runId: string,
  ) {
    this.ackedPerMatch = matches.map(() => 0);
  }

  /** Send time of the match's goal number `goals`, if its mutation was acknowledged. */
  sentAt(matchIndex: number, goals: number): number | undefined {
    const key = goalKey(matchIndex, goals);
    return this.ackedGoals.has(key) ? this.sentAtByGoal.get(key) : undefined;
  }

  /** Sends on schedule, then waits for every answer (each bounded by the mutation timeout). */
  async run(eventsPerSecond: number, durationSeconds: number): Promise<void> {
    const total = Math.round(eventsPerSecond * durationSeconds);
    const intervalMs = 1000 / eventsPerSecond;
    const start = performance.now();
    for (let k = 0; k < total; k++) {
      const wait = start + k * intervalMs - performance.now();
      if (wait >= 1) await sleep(wait);
      this.pending.push(this.send(k));
    }
    await Promise.all(this.pending);
  }

  private async send(k: number): Promise<void> {
    const matchIndex = k % this.matches.length;
    const match = this.matches[matchIndex]!;
    const goals = Math.floor(k / this.matches.length) + 2;
    const sentAt = performance.now();
    this.sent += 1;
    this.sentAtByGoal.set(goalKey(matchIndex, goals), sentAt);
    let answer: RecordedBenchEvent;
    try {
      answer = await recordGoal(this.target, match, this.runId, goals);
    } catch (error) {
      return this.problems.add(`recordMatchEvent: ${(error as Error).message.slice(0, 300)}`);
    }
    if (!answer.created) return this.problems.add('recordMatchEvent: created false for a new externalId');
    this.acked += 1;
    this.ackedPerMatch[matchIndex]! += 1;
    this.ackedGoals.add(goalKey(matchIndex, goals));
    if (answer.predictionId) this.sentAtByPrediction.set(answer.predictionId, sentAt);
  }
}

function goalKey(matchIndex: number, goals: number): number {
  return matchIndex * 1_000_000 + goals;
}
