import { parseArgs } from 'node:util';
import type { ScenarioName } from './scenarios';
import type { ServerKind } from './servers';

export interface BenchOptions {
  /** Measured seconds per load point (and the ingest → push scenario's length). */
  durationSeconds: number;
  /**
   * HTTP load points are measured in this many slices, the servers taking turns slice by slice,
   * so that a change in the machine's speed during a point reaches every server alike.
   */
  rounds: number;
  /** Seconds of load before each measured point, not recorded. */
  warmupSeconds: number;
  connections: number[];
  /** One phase: the HTTP scenarios, every subscription scenario, the ingest → push ones, or the liveFeed ones. */
  only: 'http' | 'subscriptions' | 'ingest' | 'live' | null;
  /** Write V8 CPU profiles of every Matchcast process to bench/results/profiles/. */
  profile: boolean;
  /** Drop and rebuild the bench database. */
  fresh: boolean;
  /** Matchcast's cache and pub/sub on Redis (REDIS_URL, default redis://127.0.0.1:6379) instead of memory. */
  redisUrl: string | null;
  /** HTTP scenarios to run; all by default. */
  scenarios: ScenarioName[];
  /** HTTP servers to compare; all by default (targets need PostGraphile's points). */
  servers: ServerKind[];
  /** Count SQL statements per operation (about 100 s of waiting). */
  sqlCount: boolean;
  /** Events per second of the liveFeed ingest → push scenario (its target is set at 200). */
  liveRate: number;
}

const SCENARIOS: ScenarioName[] = ['match-list', 'match-detail'];
/** Start order, and the order in which each load point visits them. */
const SERVERS: ServerKind[] = ['raw', 'postgraphile', 'matchcast', 'matchcast-cached', 'matchcast-traced'];
/** Compared unless --servers says otherwise: the traced server is for measuring tracing's cost. */
const DEFAULT_SERVERS: ServerKind[] = SERVERS.filter((server) => server !== 'matchcast-traced');

export const USAGE = `usage: npm run bench:api -- [--duration S] [--warmup S] [--rounds N] [--connections 1,16,64]
                          [--only http|subscriptions|ingest|live] [--fresh] [--redis] [--profile]
                          [--scenarios match-list,match-detail] [--servers raw,postgraphile,matchcast,matchcast-cached,matchcast-traced]
                          [--no-sql-count] [--live-rate N]`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '1,16,64' },
      only: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      redis: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      servers: { type: 'string', default: DEFAULT_SERVERS.join(',') },
      'no-sql-count': { type: 'boolean', default: false },
      'live-rate': { type: 'string', default: '200' },
    },
    strict: true,
  });
  const only = values.only ?? null;
  if (only !== null && !['http', 'subscriptions', 'ingest', 'live'].includes(only)) {
    throw new Error(`--only: http, subscriptions, ingest or live`);
  }
  return {
    only: only as BenchOptions['only'],
    durationSeconds: positiveNumber('--duration', values.duration),
    warmupSeconds: positiveNumber('--warmup', values.warmup, { allowZero: true }),
    rounds: positiveInteger('--rounds', values.rounds),
    connections: values.connections.split(',').map((level) => positiveInteger('--connections', level)),
    fresh: values.fresh,
    profile: values.profile,
    redisUrl: values.redis ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : null,
    scenarios: subset('--scenarios', values.scenarios, SCENARIOS),
    servers: subset('--servers', values.servers, SERVERS),
    sqlCount: !values['no-sql-count'],
    liveRate: positiveInteger('--live-rate', values['live-rate']),
  };
}

/** The named members of `all`, in `all`'s order. */
function subset<T extends string>(name: string, text: string, all: T[]): T[] {
  const named = text.split(',').map((item) => item.trim());
  const unknown = named.filter((item) => !all.includes(item as T));
  if (unknown.length > 0 || named.length === 0) {
    throw new Error(`${name}: expected some of ${all.join(', ')}, got "${text}"`);
  }
  return all.filter((item) => named.includes(item));
}

function positiveNumber(name: string, text: string, { allowZero = false } = {}): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`${name}: expected a positive number, got "${text}"`);
  }
  return value;
}

function positiveInteger(name: string, text: string): number {
  const value = positiveNumber(name, text);
  if (!Number.isInteger(value)) throw new Error(`${name}: expected whole numbers, got "${text}"`);
  return value;
}
