import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createWebhookSource,
  ingestEvents,
  postEvents,
  readWatchlist,
  unwatchAll,
  watchTeam,
  type BatchAnswer,
  type BenchIngestEvent,
  type Watched,
  type WebhookSource,
} from './live-feed-fixtures';
import { eventKey, LIVE_FEED_SUBSCRIPTION, LiveFeedDeliveries } from './live-feed-tracking';
import type { SubscriptionBenchTarget } from './subscriptions';
import { closeSockets, openSockets, type BenchSocket } from './subscriptions-client';
import {
  createMatches,
  createMatchesAcross,
  finishMatches,
  newRunId,
  type ApiTarget,
  type BenchMatch,
} from './subscriptions-fixtures';
import { readCpuSeconds, summarize, waitForQuietServer, waitUntil, type LatencySummary } from './subscriptions-probe';
import { ProblemLog } from './subscriptions-tracking';

/**
 * The `liveFeed` scenarios of `npm run bench:api`: ingest → push over filters at a steady rate,
 * through `ingestMatchEvents` and the signed webhook by turns; and a client that resumes after
 * missing a batch of updates (the batch's own time is measured too).
 */

export interface LiveFeedIngestSettings {
  subscribers: number;
  matches: number;
  competitions: number;
  eventsPerSecond: number;
  durationSeconds: number;
  /** Subscribers on one competition's feed each (spread over the competitions) and on the watchlist. */
  competitionSubscribers: number;
  watchlistSubscribers: number;
}

export interface LiveFeedIngestResult extends LatencySummary {
  subscribers: { competition: number; team: number; watchlist: number };
  eventsSent: number;
  /** Events answered RECORDED, by way of sending. */
  ackedGraphql: number;
  ackedWebhook: number;
  deliveries: number;
  /** Acknowledged events × the subscriptions whose filter selects their match. */
  expectedDeliveries: number;
  /** Failed mutations and posts, ended subscriptions, errors in payloads, gaps or repeats of a sequence. */
  errors: number;
  /** p99 of the deliveries of events sent each way. */
  p99GraphqlMs: number;
  p99WebhookMs: number;
  /** Server CPU (utime + stime) from the first event sent to the last delivery, per event sent. */
  serverCpuMsPerEvent: number;
  /** The load generator's own CPU over the same span, per event sent (it shares the cores). */
  loadgenCpuMsPerEvent: number;
}

export interface LiveFeedResumeResult {
  matches: number;
  /** The batch sent while the client was away: its size, outcomes and time to answer. */
  batchEvents: number;
  batchRecorded: number;
  batchMs: number;
  /** Server CPU (utime + stime) while the batch was applied. */
  batchServerCpuMs: number;
  missed: number;
  /** Missed updates received after reconnecting, and how many came out of sequence or twice. */
  received: number;
  outOfOrder: number;
  /** From opening the new socket to the last missed update. */
  resumeMs: number;
  /** Then one live event per match: time to the last of them. */
  liveAgainMs: number;
  errors: number;
}

const CONNECT = { concurrency: 50, timeoutMs: 10_000 };
const PER_SOCKET = 100;
const QUIET_MAX_MS = 30_000;
const WARMUP_TIMEOUT_MS = 30_000;
const DRAIN_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;

type Filter = { competitions: string[] } | { teams: string[] } | { watchlist: true };

/**
 * `settings.matches` live matches over `settings.competitions` competitions. Subscribers: a few on
 * each competition's feed, a share on the watchlist (the bench tenant watches one team), the rest
 * on one team's feed each, spread over every team. Goals at `eventsPerSecond`, round-robin over
 * the matches, alternately as a one-event `ingestMatchEvents` call and a signed webhook post,
 * each sent on schedule without waiting for earlier answers.
 */
export async function runLiveFeedIngest(
  target: SubscriptionBenchTarget,
  settings: LiveFeedIngestSettings,
): Promise<LiveFeedIngestResult> {
  const runId = newRunId();
  const matches = await createMatchesAcross(target, settings.matches, settings.competitions);
  const watchIds = [await watchTeam(target, matches[0]!.homeTeamId)];
  try {
    const source = await createWebhookSource(target, `bench-${runId}`);
    await ingestOrThrow(target, kickOffs(matches, runId));
    const watched = await readWatchlist(target);
    const filters = filtersOf(matches, settings);
    const perMatch = matches.map((match) => filters.filter((filter) => selects(filter, match, watched)).length);
    const sockets = await openSockets(target.wsUrl, target.apiKey, Math.ceil(filters.length / PER_SOCKET), CONNECT);
    try {
      const deliveries = new LiveFeedDeliveries(filters.length, indexById(matches), 1);
      filters.forEach((filter, index) =>
        socketOf(sockets, index).subscribe(LIVE_FEED_SUBSCRIPTION, { filter }, deliveries.sink(index)),
      );
      await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
      await ingestOrThrow(target, goals(matches, runId, 1));
      await waitUntil(() => deliveries.warmupDone(), WARMUP_TIMEOUT_MS);
      const stream = new GoalStream(target, source, matches, runId);
      const cpuBefore = readCpuSeconds(target.serverPid);
      const loadgenBefore = process.cpuUsage();
      await stream.run(settings.eventsPerSecond, settings.durationSeconds);
      const expectedDeliveries = stream.ackedPerMatch.reduce((sum, acked, i) => sum + acked * perMatch[i]!, 0);
      const sentAt = (key: number) => stream.sentAt(key);
      await waitUntil(() => deliveries.latencies(sentAt).length >= expectedDeliveries, DRAIN_MS, 100);
      const cpuAfter = readCpuSeconds(target.serverPid);
      const loadgen = process.cpuUsage(loadgenBefore);
      const latencies = deliveries.latencies(sentAt);
      const byWay = (webhook: boolean) =>
        summarize(deliveries.latencies((key) => (stream.viaWebhook(key) === webhook ? sentAt(key) : undefined)));
      stream.problems.report('liveFeed ingest');
      deliveries.problems.report('liveFeed subscriptions');
      return {
        subscribers: countKinds(filters),
        eventsSent: stream.sent,
        ackedGraphql: stream.acked.graphql,
        ackedWebhook: stream.acked.webhook,
        deliveries: latencies.length,
        expectedDeliveries,
        ...summarize(latencies),
        p99GraphqlMs: byWay(false).p99Ms,
        p99WebhookMs: byWay(true).p99Ms,
        errors: stream.problems.count + deliveries.problems.count,
        serverCpuMsPerEvent:
          cpuBefore !== null && cpuAfter !== null ? ((cpuAfter - cpuBefore) * 1000) / stream.sent : Number.NaN,
        loadgenCpuMsPerEvent: (loadgen.user + loadgen.system) / 1000 / stream.sent,
      };
    } finally {
      await closeSockets(sockets);
    }
  } finally {
    await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
    await unwatchAll(target, watchIds);
    await finishMatches(target, matches, runId);
  }
}

/**
 * A client follows `matches` live matches, then goes away; a batch of `missedPerMatch` goals per
 * match is ingested (and timed) meanwhile. It reconnects with `since` (its last sequence per
 * match) and must receive every missed update once, in order; then one live goal per match.
 */
export async function runLiveFeedResume(
  target: SubscriptionBenchTarget,
  settings: { matches: number; missedPerMatch: number },
): Promise<LiveFeedResumeResult> {
  const runId = newRunId();
  const matches = await createMatches(target, settings.matches);
  const problems = new ProblemLog();
  try {
    await ingestOrThrow(target, kickOffs(matches, runId));
    const filter = { matches: matches.map((match) => match.id) };
    const positions = await followThenLeave(target, matches, runId, filter);
    const batch = matches.flatMap((_, i) =>
      Array.from({ length: settings.missedPerMatch }, (__, k) => goal(matches, i, runId, k + 2)),
    );
    // Per match in goal order: one match's events stay in the order sent.
    batch.sort((a, b) => a.minute - b.minute);
    const batchStart = performance.now();
    const batchCpuBefore = readCpuSeconds(target.serverPid);
    const answer = await ingestEvents(target, batch, 60_000);
    const batchMs = performance.now() - batchStart;
    const batchCpuAfter = readCpuSeconds(target.serverPid);
    if (answer.firstError) problems.add(`batch: ${answer.firstError}`);
    await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });

    const missed = answer.recorded;
    const reconnectAt = performance.now();
    const [socket] = await openSockets(target.wsUrl, target.apiKey, 1, CONNECT);
    try {
      const deliveries = new LiveFeedDeliveries(1, indexById(matches), -1);
      const since = { positions: matches.map((match, i) => ({ match: match.id, sequence: positions[i]! })) };
      socket!.subscribe(LIVE_FEED_SUBSCRIPTION, { filter, since }, deliveries.sink(0));
      await waitUntil(() => deliveries.keys.length >= missed, 30_000, 1);
      const resumeMs = performance.now() - reconnectAt;
      const received = deliveries.keys.length;
      const liveAt = performance.now();
      await ingestOrThrow(target, goals(matches, runId, settings.missedPerMatch + 2));
      await waitUntil(() => deliveries.keys.length >= missed + matches.length, 10_000, 1);
      const liveAgainMs = performance.now() - liveAt;
      deliveries.problems.report('liveFeed resume');
      return {
        matches: matches.length,
        batchEvents: batch.length,
        batchRecorded: answer.recorded,
        batchMs,
        batchServerCpuMs:
          batchCpuBefore !== null && batchCpuAfter !== null ? (batchCpuAfter - batchCpuBefore) * 1000 : Number.NaN,
        missed,
        received,
        outOfOrder: deliveries.problems.count,
        resumeMs,
        liveAgainMs: deliveries.keys.length >= missed + matches.length ? liveAgainMs : Number.NaN,
        errors: problems.count + deliveries.problems.count,
      };
    } finally {
      await closeSockets([socket!]);
    }
  } finally {
    await finishMatches(target, matches, runId);
  }
}

/** Follows the matches until a first goal of each has arrived; returns each match's last sequence. */
async function followThenLeave(
  target: SubscriptionBenchTarget,
  matches: BenchMatch[],
  runId: string,
  filter: { matches: string[] },
): Promise<number[]> {
  const sockets = await openSockets(target.wsUrl, target.apiKey, 1, CONNECT);
  try {
    const positions: number[] = matches.map(() => -1);
    const index = indexById(matches);
    sockets[0]!.subscribe(
      LIVE_FEED_SUBSCRIPTION,
      { filter },
      {
        next: (payload) => {
          const item = payload.data?.liveFeed as { sequence: number; match: { id: string } } | undefined;
          if (item) positions[index.get(item.match.id)!] = item.sequence;
        },
        end: () => {},
      },
    );
    await waitForQuietServer(target.serverPid, { maxWaitMs: QUIET_MAX_MS });
    await ingestOrThrow(target, goals(matches, runId, 1));
    if (!(await waitUntil(() => positions.every((seq) => seq >= 0), WARMUP_TIMEOUT_MS))) {
      throw new Error('liveFeed resume: the first goals never arrived');
    }
    return positions;
  } finally {
    await closeSockets(sockets);
  }
}

function filtersOf(matches: BenchMatch[], settings: LiveFeedIngestSettings): Filter[] {
  const competitions = [...new Set(matches.map((match) => match.competitionId))];
  const teams = matches.flatMap((match) => [match.homeTeamId, match.awayTeamId]);
  return Array.from({ length: settings.subscribers }, (_, index): Filter => {
    if (index < settings.competitionSubscribers) return { competitions: [competitions[index % competitions.length]!] };
    const rest = index - settings.competitionSubscribers;
    if (rest < settings.watchlistSubscribers) return { watchlist: true };
    return { teams: [teams[rest % teams.length]!] };
  });
}

function selects(filter: Filter, match: BenchMatch, watched: Watched): boolean {
  if ('competitions' in filter) return filter.competitions.includes(match.competitionId);
  if ('teams' in filter) return filter.teams.includes(match.homeTeamId) || filter.teams.includes(match.awayTeamId);
  return (
    watched.matches.has(match.id) ||
    watched.competitions.has(match.competitionId) ||
    watched.teams.has(match.homeTeamId) ||
    watched.teams.has(match.awayTeamId)
  );
}

function countKinds(filters: Filter[]) {
  const count = (kind: string) => filters.filter((filter) => kind in filter).length;
  return { competition: count('competitions'), team: count('teams'), watchlist: count('watchlist') };
}

function socketOf(sockets: BenchSocket[], index: number): BenchSocket {
  return sockets[Math.floor(index / PER_SOCKET)]!;
}

function indexById(matches: BenchMatch[]): Map<string, number> {
  return new Map(matches.map((match, index) => [match.id, index]));
}

function kickOffs(matches: BenchMatch[], runId: string): BenchIngestEvent[] {
  return matches.map((match) => ({
    matchId: match.id,
    type: 'KICK_OFF',
    minute: 0,
    externalId: `${runId}-ko-${match.id}`,
  }));
}

function goals(matches: BenchMatch[], runId: string, number: number): BenchIngestEvent[] {
  return matches.map((_, index) => goal(matches, index, runId, number));
}

/** Goal `number` of match `index`, home and away in turn, at minute `number` (at most 150). */
function goal(matches: BenchMatch[], index: number, runId: string, number: number): BenchIngestEvent {
  const match = matches[index]!;
  return {
    matchId: match.id,
    type: 'GOAL',
    minute: Math.min(number, 150),
    teamId: number % 2 === 1 ? match.homeTeamId : match.awayTeamId,
    externalId: `${runId}-${match.id}-goal-${number}`,
  };
}

async function ingestOrThrow(target: ApiTarget, events: BenchIngestEvent[]): Promise<void> {
  const answer = await ingestEvents(target, events, 60_000);
  if (answer.recorded !== events.length) {
    throw new Error(`ingestMatchEvents recorded ${answer.recorded} of ${events.length}: ${answer.firstError}`);
  }
}

/**
 * Open-loop stream of goals: event k goes to match k mod M as its goal number ⌊k / M⌋ + 2
 * (goal 1 was the warm-up), through GraphQL when k is even and the webhook when it is odd.
 */
class GoalStream {
  sent = 0;
  readonly acked = { graphql: 0, webhook: 0 };
  readonly ackedPerMatch: number[];
  readonly problems = new ProblemLog();
  private readonly sentAtByKey = new Map<number, number>();
  private readonly ackedKeys = new Set<number>();
  private readonly webhookKeys = new Set<number>();

  constructor(
    private readonly target: ApiTarget,
    private readonly source: WebhookSource,
    private readonly matches: BenchMatch[],
    private readonly runId: string,
  ) {
    this.ackedPerMatch = matches.map(() => 0);
  }

  sentAt(key: number): number | undefined {
    return this.ackedKeys.has(key) ? this.sentAtByKey.get(key) : undefined;
  }

  viaWebhook(key: number): boolean {
    return this.webhookKeys.has(key);
  }

  async run(eventsPerSecond: number, durationSeconds: number): Promise<void> {
    const total = Math.round(eventsPerSecond * durationSeconds);
    const intervalMs = 1000 / eventsPerSecond;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const wait = start + k * intervalMs - performance.now();
      if (wait >= 1) await sleep(wait);
      pending.push(this.send(k));
    }
    await Promise.all(pending);
  }

  private async send(k: number): Promise<void> {
    const matchIndex = k % this.matches.length;
    const number = Math.floor(k / this.matches.length) + 2;
    const key = eventKey(matchIndex, number);
    const webhook = k % 2 === 1;
    const events = [goal(this.matches, matchIndex, this.runId, number)];
    this.sent += 1;
    if (webhook) this.webhookKeys.add(key);
    this.sentAtByKey.set(key, performance.now());
    let answer: BatchAnswer;
    try {
      answer = webhook
        ? await postEvents(this.target, this.source, events, REQUEST_TIMEOUT_MS)
        : await ingestEvents(this.target, events, REQUEST_TIMEOUT_MS);
    } catch (error) {
      return this.problems.add((error as Error).message.slice(0, 300));
    }
    if (answer.recorded !== 1) return this.problems.add(`not recorded: ${answer.firstError ?? 'a duplicate'}`);
    this.acked[webhook ? 'webhook' : 'graphql'] += 1;
    this.ackedPerMatch[matchIndex]! += 1;
    this.ackedKeys.add(key);
  }
}
