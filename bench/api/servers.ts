import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startChildServer, type ChildServer } from './children';
import { log } from './log';
import { startOtlpSink } from './otlp-sink';

const ROOT = path.resolve(__dirname, '../..');
const POSTGRAPHILE_DIR = path.join(ROOT, 'bench/postgraphile');
const POSTGRAPHILE_NODE = path.join(POSTGRAPHILE_DIR, 'node_modules/.bin/node');
const run = promisify(execFile);

/**
 * The servers compared; Matchcast with its response cache off and on, and (when asked for) with
 * its cache off and tracing on, 10% of requests sampled and exported to a loopback collector.
 */
export type ServerKind = 'matchcast' | 'matchcast-cached' | 'matchcast-traced' | 'postgraphile' | 'raw';

/** The share of requests `matchcast-traced` samples. */
export const TRACED_SAMPLE_RATIO = 0.1;

export const SERVER_LABELS: Record<ServerKind, string> = {
  matchcast: 'Matchcast, cache off',
  'matchcast-cached': 'Matchcast, cache on',
  'matchcast-traced': `Matchcast, cache off, traced (${TRACED_SAMPLE_RATIO * 100}%)`,
  postgraphile: 'PostGraphile 5',
  raw: 'raw pg',
};

export interface ServerSettings {
  databaseUrl: string;
  redisUrl: string | null;
  /** Where Matchcast processes write V8 CPU profiles (on exit); null: not profiled. */
  profileDir: string | null;
}

/** Compiles Matchcast as production runs it (`dist/src/main.js`). */
export async function buildMatchcast(): Promise<void> {
  log('npm run build');
  await runStep(['run', 'build'], 300_000);
}

/** PostGraphile 5 needs Node 22: its folder's lockfile brings both (npm's `node` package). */
export async function installPostGraphile(): Promise<void> {
  if (fs.existsSync(POSTGRAPHILE_NODE)) return;
  log('npm ci --prefix bench/postgraphile (PostGraphile 5 and Node 22, once)');
  await runStep(['ci', '--prefix', POSTGRAPHILE_DIR, '--no-audit', '--no-fund'], 600_000);
}

/** Runs npm; a failure carries the end of its output (tsc reports errors on stdout). */
async function runStep(npmArgs: string[], timeoutMs: number): Promise<void> {
  try {
    await run('npm', npmArgs, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${npmArgs.join(' ')} failed:\n${`${stdout}\n${stderr}`.trim().slice(-4000)}`);
  }
}

/** Version of the Node that runs PostGraphile; null before it is installed. */
export function postGraphileNodeVersion(): string | null {
  return fs.existsSync(POSTGRAPHILE_NODE)
    ? execFileSync(POSTGRAPHILE_NODE, ['--version'], { encoding: 'utf8' }).trim()
    : null;
}

export function startServer(kind: ServerKind, settings: ServerSettings): Promise<ChildServer> {
  switch (kind) {
    case 'matchcast':
    case 'matchcast-cached':
      return startMatchcast(settings, kind === 'matchcast-cached');
    case 'matchcast-traced':
      return startTracedMatchcast(settings);
    case 'postgraphile':
      return startChildServer({
        name: SERVER_LABELS.postgraphile,
        command: POSTGRAPHILE_NODE,
        args: [path.join(POSTGRAPHILE_DIR, 'server.mjs')],
        env: { NODE_ENV: 'production', GRAPHILE_ENV: 'production', DATABASE_URL: settings.databaseUrl },
        cwd: ROOT,
        readyPath: '/graphql',
        readyRequest: {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        },
      });
    case 'raw':
      return startChildServer({
        name: SERVER_LABELS.raw,
        // tsx only transpiles at load: requests run plain JavaScript.
        command: process.execPath,
        args: ['--import', 'tsx', path.join(__dirname, 'raw-server.ts')],
        env: { NODE_ENV: 'production', DATABASE_URL: settings.databaseUrl },
        cwd: ROOT,
        readyPath: '/healthz',
      });
  }
}

export function startMatchcast(
  settings: ServerSettings,
  responseCache: boolean,
  extraEnv: Record<string, string> = {},
  name = responseCache ? SERVER_LABELS['matchcast-cached'] : SERVER_LABELS.matchcast,
): Promise<ChildServer> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: settings.databaseUrl,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
    RESPONSE_CACHE: String(responseCache),
    // Subscription scenarios open up to 10,000 subscriptions on one key.
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '1000',
    WS_MAX_SOCKETS_PER_KEY: '10000',
    REDIS_URL: settings.redisUrl ?? '',
    // Production needs /metrics guarded; the bench never scrapes it.
    METRICS_PORT: '0',
    ...extraEnv,
  };
  return startChildServer({
    name,
    command: process.execPath,
    args: [
      ...productionNodeFlags(),
      ...(settings.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`] : []),
      path.join(ROOT, 'dist/src/main.js'),
    ],
    env,
    cwd: ROOT,
    readyPath: '/healthz',
  });
}

// Traced as production would be: sampled at the root, batched, sent over OTLP/HTTP (protobuf).
async function startTracedMatchcast(settings: ServerSettings): Promise<ChildServer> {
  const sink = await startOtlpSink();
  try {
    const server = await startMatchcast(
      settings,
      false,
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: String(TRACED_SAMPLE_RATIO),
      },
      SERVER_LABELS['matchcast-traced'],
    );
    return {
      ...server,
      stop: async () => {
        await server.stop();
        const { requests, bytes } = sink.exports();
        log(`${server.name}: ${requests} OTLP exports, ${Math.round(bytes / 1024)} KiB of spans`);
        await sink.stop();
      },
    };
  } catch (error) {
    await sink.stop();
    throw error;
  }
}

/** Node's flags in `npm run start:prod` (and the Dockerfile's CMD): Matchcast runs as production runs it. */
function productionNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return pkg.scripts['start:prod']!.split(' ').filter((word) => word.startsWith('--'));
}
