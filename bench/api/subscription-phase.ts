import type { ChildServer } from './children';
import { log } from './log';
import { startMatchcast, type ServerSettings } from './servers';
import {
  runLiveFeedIngest,
  runLiveFeedResume,
  type LiveFeedIngestResult,
  type LiveFeedIngestSettings,
  type LiveFeedResumeResult,
} from './live-feed';
import {
  LIVE_FEED,
  runFanout,
  runIngestPush,
  type FanoutResult,
  type IngestPushResult,
  type SubscriptionBenchTarget,
} from './subscriptions';

export const FANOUT_SUBSCRIBERS = [100, 1_000, 10_000];
const FANOUT_PER_SOCKET = 100;
const FANOUT_TIMEOUT_MS = 60_000;
const INGEST = { subscribers: 1_000, matches: 20, eventsPerSecond: 100 };
export const LIVE_FANOUT_SUBSCRIBERS = 10_000;
export const LIVE_INGEST: Omit<LiveFeedIngestSettings, 'durationSeconds'> = {
  subscribers: 5_000,
  matches: 50,
  competitions: 5,
  eventsPerSecond: 200,
  competitionSubscribers: 50,
  watchlistSubscribers: 500,
};
const LIVE_RESUME = { matches: 20, missedPerMatch: 50 };
/** Beyond its own timeouts, how long one scenario may take before it is abandoned. */
const SCENARIO_LIMIT_MS = 5 * 60_000;

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: string };

export interface SubscriptionPhaseResult {
  fanout: { subscribers: number; outcome: Outcome<FanoutResult> }[];
  ingestPush: { settings: typeof INGEST & { durationSeconds: number }; outcome: Outcome<IngestPushResult> } | null;
  /** The same fan-out on `liveFeed` (filter: the match). */
  liveFanout: { subscribers: number; outcome: Outcome<FanoutResult> } | null;
  liveIngest: { settings: LiveFeedIngestSettings; outcome: Outcome<LiveFeedIngestResult> } | null;
  liveResume: { settings: typeof LIVE_RESUME; outcome: Outcome<LiveFeedResumeResult> } | null;
}

/** Which scenarios run: `ingest` the ingest → push ones, `live` those on `liveFeed`, all by default. */
export type SubscriptionSelection = 'all' | 'ingest' | 'live';

/** Each scenario on a fresh Matchcast process, so its memory per subscription starts clean. */
export async function runSubscriptionPhase(
  settings: ServerSettings,
  apiKey: string,
  {
    durationSeconds,
    selection,
    liveEventsPerSecond = LIVE_INGEST.eventsPerSecond,
  }: { durationSeconds: number; selection: SubscriptionSelection; liveEventsPerSecond?: number },
): Promise<SubscriptionPhaseResult> {
  const run = <T>(scenario: (target: SubscriptionBenchTarget) => Promise<T>) =>
    onFreshMatchcast(settings, apiKey, scenario);
  const result: SubscriptionPhaseResult = {
    fanout: [],
    ingestPush: null,
    liveFanout: null,
    liveIngest: null,
    liveResume: null,
  };
  for (const subscribers of selection === 'all' ? FANOUT_SUBSCRIBERS : []) {
    log(`subscriptions: fan-out to ${subscribers}`);
    const outcome = await run((target) =>
      runFanout(target, { subscribers, perSocket: FANOUT_PER_SOCKET, timeoutMs: FANOUT_TIMEOUT_MS }),
    );
    result.fanout.push({ subscribers, outcome });
  }
  if (selection !== 'live') {
    log(`subscriptions: ingest → push, ${INGEST.eventsPerSecond} events/s for ${durationSeconds} s`);
    const ingestSettings = { ...INGEST, durationSeconds };
    result.ingestPush = { settings: ingestSettings, outcome: await run((t) => runIngestPush(t, ingestSettings)) };
  }
  if (selection !== 'ingest') {
    log(`subscriptions: liveFeed fan-out to ${LIVE_FANOUT_SUBSCRIBERS}`);
    const fanout = { subscribers: LIVE_FANOUT_SUBSCRIBERS, perSocket: FANOUT_PER_SOCKET, timeoutMs: FANOUT_TIMEOUT_MS };
    result.liveFanout = {
      subscribers: LIVE_FANOUT_SUBSCRIBERS,
      outcome: await run((t) => runFanout(t, { ...fanout, feed: LIVE_FEED })),
    };
  }
  const liveIngest = { ...LIVE_INGEST, eventsPerSecond: liveEventsPerSecond, durationSeconds };
  log(`subscriptions: liveFeed ingest → push, ${liveIngest.eventsPerSecond} events/s for ${durationSeconds} s`);
  result.liveIngest = { settings: liveIngest, outcome: await run((t) => runLiveFeedIngest(t, liveIngest)) };
  log(`subscriptions: liveFeed resume of ${LIVE_RESUME.matches * LIVE_RESUME.missedPerMatch} missed updates`);
  result.liveResume = { settings: LIVE_RESUME, outcome: await run((t) => runLiveFeedResume(t, LIVE_RESUME)) };
  return result;
}

async function onFreshMatchcast<T>(
  settings: ServerSettings,
  apiKey: string,
  scenario: (target: SubscriptionBenchTarget) => Promise<T>,
): Promise<Outcome<T>> {
  let server: ChildServer | null = null;
  try {
    server = await startMatchcast(settings, false);
    const target: SubscriptionBenchTarget = {
      httpUrl: `${server.baseUrl}/graphql`,
      wsUrl: `${server.baseUrl.replace(/^http/, 'ws')}/graphql`,
      apiKey,
      serverPid: server.pid,
    };
    return { ok: true, result: await withinLimit(scenario(target), SCENARIO_LIMIT_MS) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`subscription scenario failed: ${message}`);
    return { ok: false, error: message };
  } finally {
    await server?.stop();
  }
}

function withinLimit<T>(work: Promise<T>, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${limitMs / 1000} s`)), limitMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
