import fs from 'node:fs';
import path from 'node:path';
import { sliceSeconds, type HttpPhaseResult, type HttpPoint } from './http-phase';
import { formatMachine, type MachineInfo } from './machine';
import type { BenchOptions } from './options';
import { SCENARIOS, type ScenarioName } from './scenarios';
import { SERVER_LABELS } from './servers';
import { SQL_COUNT_METHOD, SQL_COUNT_REQUESTS } from './sql-count';
import type { SubscriptionPhaseResult } from './subscription-phase';
import { fixed, megabytes, ratio, renderTable } from './table';
import type { TargetResult } from './targets';

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  machine: MachineInfo;
  options: BenchOptions;
  sqlCountMethod: string;
  http: (Omit<HttpPhaseResult, 'points'> & { points: RatedPoint[] }) | null;
  subscriptions: SubscriptionPhaseResult | null;
  targets: TargetResult[];
}

export interface RatedPoint extends HttpPoint {
  /** Throughput ÷ the other server's at the same scenario and connections, same run. */
  vsPostGraphile: number | null;
  vsRaw: number | null;
}

export function ratePoints(points: HttpPoint[]): RatedPoint[] {
  const throughputOf = (point: HttpPoint, server: HttpPoint['server']) =>
    points.find((p) => p.scenario === point.scenario && p.connections === point.connections && p.server === server)
      ?.load.requestsPerSecond;
  const divide = (value: number, by: number | undefined) => (by ? value / by : null);
  return points.map((point) => ({
    ...point,
    vsPostGraphile: divide(point.load.requestsPerSecond, throughputOf(point, 'postgraphile')),
    vsRaw: divide(point.load.requestsPerSecond, throughputOf(point, 'raw')),
  }));
}

export function formatReport(report: BenchReport): string {
  const parts = [`Matchcast API benchmark, ${report.startedAt}`, formatMachine(report.machine)];
  if (report.http) {
    parts.push(formatLoadSettings(report.options));
    const scenarios = [...new Set(report.http.points.map((point) => point.scenario))];
    for (const scenario of scenarios) parts.push(formatScenario(scenario, report.http));
    if (report.http.sqlCounts.length > 0) {
      parts.push(`SQL per operation: ${SQL_COUNT_METHOD}; ${SQL_COUNT_REQUESTS} sequential requests.`);
    }
  }
  if (report.subscriptions) parts.push(formatSubscriptions(report.subscriptions));
  parts.push(formatTargets(report.targets));
  return parts.join('\n\n');
}

function formatLoadSettings(options: BenchOptions): string {
  return (
    `load: autocannon in this process, closed loop, ${options.warmupSeconds} s warm-up + ${options.rounds} rounds of ` +
    `${sliceSeconds(options)} s per point and server (servers take turns each round), connections ${options.connections.join(', ')}; servers are child processes on 127.0.0.1; ` +
    `req/s counts 2xx answers without GraphQL errors; CPU % is of one core`
  );
}

function formatScenario(scenario: ScenarioName, http: NonNullable<BenchReport['http']>): string {
  const checks = http.checks
    .filter((check) => check.scenario === scenario)
    .map((check) => `${SERVER_LABELS[check.server]}: ${check.ok ? 'ok' : `FAILED (${check.problem})`}`);
  const raw = http.checks.find((check) => check.scenario === scenario && check.server === 'raw');
  const sql = http.sqlCounts
    .filter((count) => count.scenario === scenario)
    .map((count) => `${SERVER_LABELS[count.server]} ${count.statementsPerOperation.toFixed(2)}`);
  const rows = http.points.filter((point) => point.scenario === scenario).map(pointRow);
  return [
    `${scenario}: ${SCENARIOS[scenario]}`,
    renderTable(
      [
        'conns  server',
        'req/s',
        '×PG',
        '×raw',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'errors',
        'timeouts',
        'CPU %',
        'peak RSS MB',
        'db CPU %',
        'loadgen CPU %',
      ],
      rows,
    ),
    `answers checked: ${checks.join('; ')}` +
      (raw?.sameJsonAsMatchcast === undefined
        ? ''
        : `; raw JSON equals Matchcast's: ${raw.sameJsonAsMatchcast ? 'yes' : 'no'}`),
    `SQL statements per operation (approx.): ${sql.join(', ')}`,
  ].join('\n');
}

function pointRow(point: RatedPoint): string[] {
  const { load } = point;
  return [
    `${String(point.connections).padStart(5)}  ${SERVER_LABELS[point.server]}`,
    fixed(load.requestsPerSecond, 1),
    ratio(point.vsPostGraphile),
    ratio(point.vsRaw),
    fixed(load.p50Ms),
    fixed(load.p90Ms),
    fixed(load.p99Ms),
    String(load.errors),
    String(load.timeouts),
    fixed(point.serverCpuPercent),
    megabytes(point.serverPeakRssBytes),
    fixed(point.databaseCpuPercent),
    fixed(point.loadGeneratorCpuPercent),
  ];
}

function formatSubscriptions(result: SubscriptionPhaseResult): string {
  const fanoutRows = result.fanout.map(({ subscribers, outcome }) =>
    outcome.ok
      ? [
          subscribers.toLocaleString('en'),
          String(outcome.result.sockets),
          `${outcome.result.received}`,
          String(outcome.result.missing),
          fixed(outcome.result.p50Ms),
          fixed(outcome.result.p90Ms),
          fixed(outcome.result.p99Ms),
          fixed(outcome.result.maxMs),
          `${megabytes(outcome.result.rssBeforeBytes)} → ${megabytes(outcome.result.rssAfterBytes)}`,
          fixed(outcome.result.bytesPerSubscription / 1024, 1),
        ]
      : [subscribers.toLocaleString('en'), `failed: ${outcome.error}`],
  );
  const ingest = result.ingestPush;
  const ingestLine = !ingest
    ? null
    : ingest.outcome.ok
      ? `ingest → push (${ingest.settings.subscribers} subscribers on ${ingest.settings.matches} live matches, ` +
        `${ingest.settings.eventsPerSecond} events/s for ${ingest.settings.durationSeconds} s): ` +
        `${ingest.outcome.result.eventsAcked}/${ingest.outcome.result.eventsSent} events acknowledged, ` +
        `${ingest.outcome.result.deliveries}/${ingest.outcome.result.expectedDeliveries} deliveries, ` +
        `${latencyText(ingest.outcome.result)}, ${ingest.outcome.result.errors} errors`
      : `ingest → push failed: ${ingest.outcome.error}`;
  return [
    'subscriptions (Matchcast, cache off, a fresh process per scenario; latency from just before the mutation is sent)',
    renderTable(
      [
        'subscribers',
        'sockets',
        'received',
        'missing',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'RSS MB',
        'KB/subscription',
      ],
      [...fanoutRows, ...liveFanoutRow(result)],
    ),
    ingestLine,
    liveIngestLine(result),
    liveResumeLine(result),
  ]
    .filter((line) => line !== null)
    .join('\n');
}

function latencyText(r: { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number }): string {
  return `p50 ${fixed(r.p50Ms)} ms, p90 ${fixed(r.p90Ms)} ms, p99 ${fixed(r.p99Ms)} ms, max ${fixed(r.maxMs)} ms`;
}

function liveFanoutRow(result: SubscriptionPhaseResult): string[][] {
  const live = result.liveFanout;
  if (!live) return [];
  const label = `${live.subscribers.toLocaleString('en')} (liveFeed)`;
  if (!live.outcome.ok) return [[label, `failed: ${live.outcome.error}`]];
  const r = live.outcome.result;
  return [
    [
      label,
      String(r.sockets),
      String(r.received),
      String(r.missing),
      fixed(r.p50Ms),
      fixed(r.p90Ms),
      fixed(r.p99Ms),
      fixed(r.maxMs),
      `${megabytes(r.rssBeforeBytes)} → ${megabytes(r.rssAfterBytes)}`,
      fixed(r.bytesPerSubscription / 1024, 1),
    ],
  ];
}

function liveIngestLine(result: SubscriptionPhaseResult): string | null {
  const live = result.liveIngest;
  if (!live) return null;
  const s = live.settings;
  const title =
    `liveFeed ingest → push (${s.subscribers} subscribers on ${s.matches} live matches of ${s.competitions} ` +
    `competitions, ${s.eventsPerSecond} events/s for ${s.durationSeconds} s, GraphQL and webhook by turns)`;
  if (!live.outcome.ok) return `${title} failed: ${live.outcome.error}`;
  const r = live.outcome.result;
  return (
    `${title}: subscribers ${r.subscribers.competition} competition, ${r.subscribers.team} team, ` +
    `${r.subscribers.watchlist} watchlist; ${r.ackedGraphql + r.ackedWebhook}/${r.eventsSent} events acknowledged ` +
    `(${r.ackedGraphql} GraphQL, ${r.ackedWebhook} webhook), ${r.deliveries}/${r.expectedDeliveries} deliveries, ` +
    `${latencyText(r)} (p99 GraphQL ${fixed(r.p99GraphqlMs)} ms, webhook ${fixed(r.p99WebhookMs)} ms), ${r.errors} errors; ` +
    `server CPU ${r.serverCpuMsPerEvent.toFixed(2)} ms per event, load generator ${r.loadgenCpuMsPerEvent.toFixed(2)} ms`
  );
}

function liveResumeLine(result: SubscriptionPhaseResult): string | null {
  const live = result.liveResume;
  if (!live) return null;
  if (!live.outcome.ok) return `liveFeed resume failed: ${live.outcome.error}`;
  const r = live.outcome.result;
  return (
    `batch: ${r.batchRecorded}/${r.batchEvents} events over ${r.matches} matches recorded in ${fixed(r.batchMs)} ms ` +
    `(server CPU ${fixed(r.batchServerCpuMs)} ms); ` +
    `liveFeed resume: ${r.received}/${r.missed} missed updates in ${fixed(r.resumeMs)} ms from reconnecting ` +
    `(${r.outOfOrder} out of order or repeated), then live again: one goal per match in ${fixed(r.liveAgainMs)} ms; ` +
    `${r.errors} errors`
  );
}

function formatTargets(targets: TargetResult[]): string {
  const verdict = (met: boolean | null) => (met === null ? '–' : met ? 'met' : 'NOT MET');
  return [
    'targets',
    renderTable(
      ['target', 'measured', ''],
      targets.map((t) => [t.target, t.value, verdict(t.met)]),
    ),
  ].join('\n');
}

export function writeReport(report: BenchReport, directory: string): string {
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${report.startedAt.replace(/:/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
