// npm run bench:api: Matchcast beside PostGraphile 5 and a raw pg handler, on one database.
import path from 'node:path';
import { Client } from 'pg';
import { prepareBenchDatabase, type BenchDatabase } from './bench-database';
import { killAllChildServersNow, stopAllChildServers, type ChildServer } from './children';
import { runHttpPhase } from './http-phase';
import { log } from './log';
import { describeMachine } from './machine';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { formatReport, ratePoints, writeReport, type BenchReport } from './report';
import { scenarioContext } from './scenarios';
import {
  buildMatchcast,
  installPostGraphile,
  postGraphileNodeVersion,
  startServer,
  type ServerKind,
  type ServerSettings,
} from './servers';
import { SQL_COUNT_METHOD } from './sql-count';
import { runSubscriptionPhase } from './subscription-phase';
import { httpTargets, subscriptionTargets } from './targets';

const RESULTS_DIR = path.resolve(__dirname, '../results');

let stopDatabase: () => Promise<void> = async () => {};

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = new Date();
  const preparing: Promise<unknown>[] = [buildMatchcast()];
  if ((options.only === null || options.only === 'http') && options.servers.includes('postgraphile')) {
    preparing.push(installPostGraphile());
  }
  await Promise.all(preparing);
  const database = await prepareBenchDatabase({ fresh: options.fresh });
  stopDatabase = () => database.stop();
  try {
    const report = await runPhases(options, database, started);
    console.info(formatReport(report));
    console.info(`\nfull results: ${path.relative(process.cwd(), writeReport(report, RESULTS_DIR))}`);
    return 0;
  } finally {
    await stopAllChildServers();
    await stopDatabase();
  }
}

async function runPhases(options: BenchOptions, database: BenchDatabase, started: Date): Promise<BenchReport> {
  const settings: ServerSettings = {
    databaseUrl: database.url,
    redisUrl: options.redisUrl,
    profileDir: options.profile ? path.join(RESULTS_DIR, 'profiles') : null,
  };
  const report: BenchReport = {
    startedAt: started.toISOString(),
    finishedAt: '',
    wallSeconds: 0,
    machine: describeMachine(database.postgresVersion, postGraphileNodeVersion()),
    options,
    sqlCountMethod: SQL_COUNT_METHOD,
    http: null,
    subscriptions: null,
    targets: [],
  };
  if (options.only === null || options.only === 'http') {
    const http = await runHttp(options, database, settings);
    report.http = { ...http, points: ratePoints(http.points) };
    report.targets.push(...httpTargets(http.points, options.scenarios));
  }
  if (options.only !== 'http') {
    report.subscriptions = await runSubscriptionPhase(settings, database.apiKey, {
      durationSeconds: options.durationSeconds,
      selection: options.only === 'ingest' || options.only === 'live' ? options.only : 'all',
      liveEventsPerSecond: options.liveRate,
    });
    report.targets.push(...subscriptionTargets(report.subscriptions));
  }
  report.finishedAt = new Date().toISOString();
  report.wallSeconds = Math.round((Date.now() - started.getTime()) / 1000);
  return report;
}

async function runHttp(options: BenchOptions, database: BenchDatabase, settings: ServerSettings) {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  const servers = new Map<ServerKind, ChildServer>();
  try {
    for (const kind of options.servers) {
      log(`starting ${kind}`);
      servers.set(kind, await startServer(kind, settings));
    }
    const context = await scenarioContext(client, database.apiKey);
    return await runHttpPhase({ ...options, servers }, client, context);
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    await client.end();
  }
}

function onSignal(signal: NodeJS.Signals): void {
  log(`${signal}: stopping the servers`);
  stopAllChildServers()
    .then(stopDatabase)
    .finally(() => process.exit(130));
}

process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
process.once('exit', killAllChildServersNow);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // main() has stopped what it started; the exit handler kills anything left.
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
