import type { ChildServer } from './children';
import { log } from './log';
import { startMatchcast, type ServerSettings } from './servers';
import {
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
/** Beyond its own timeouts, how long one scenario may take before it is abandoned. */
const SCENARIO_LIMIT_MS = 5 * 60_000;

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: string };

export interface SubscriptionPhaseResult {
  fanout: { subscribers: number; outcome: Outcome<FanoutResult> }[];
  ingestPush: { settings: typeof INGEST & { durationSeconds: number }; outcome: Outcome<IngestPushResult> };
}

/** Each scenario on a fresh Matchcast process, so its memory per subscription starts clean. */
export async function runSubscriptionPhase(
  settings: ServerSettings,
  apiKey: string,
  { durationSeconds, fanout: withFanout }: { durationSeconds: number; fanout: boolean },
): Promise<SubscriptionPhaseResult> {
  const fanout: SubscriptionPhaseResult['fanout'] = [];
  for (const subscribers of withFanout ? FANOUT_SUBSCRIBERS : []) {
    log(`subscriptions: fan-out to ${subscribers}`);
    const outcome = await onFreshMatchcast(settings, apiKey, (target) =>
      runFanout(target, { subscribers, perSocket: FANOUT_PER_SOCKET, timeoutMs: FANOUT_TIMEOUT_MS }),
    );
    fanout.push({ subscribers, outcome });
  }
  log(`subscriptions: ingest → push, ${INGEST.eventsPerSecond} events/s for ${durationSeconds} s`);
  const ingestSettings = { ...INGEST, durationSeconds };
  const ingestOutcome = await onFreshMatchcast(settings, apiKey, (target) => runIngestPush(target, ingestSettings));
  return { fanout, ingestPush: { settings: ingestSettings, outcome: ingestOutcome } };
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
