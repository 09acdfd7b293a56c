import { isDeepStrictEqual } from 'node:util';
import type { Client } from 'pg';
import type { ChildServer } from './children';
import { mergeSlices, runLoad, type LoadResult, type LoadSlice } from './load';
import { log } from './log';
import { processName, sampleCpuOf, sampleProcess } from './proc-stats';
import {
  expectedSummary,
  scenarioTarget,
  type HttpRequestSpec,
  type ResponseSummary,
  type ScenarioContext,
  type ScenarioName,
} from './scenarios';
import { SERVER_LABELS, type ServerKind } from './servers';
import { statementsPerOperation, waitForStatistics } from './sql-count';
import { BENCH_DATABASE } from './bench-database';

export interface CorrectnessCheck {
  scenario: ScenarioName;
  server: ServerKind;
  ok: boolean;
  status: number;
  summary: ResponseSummary | null;
  expected: ResponseSummary;
  /** Raw baseline only: its JSON equals Matchcast's (cache off), key order aside. */
  sameJsonAsMatchcast?: boolean;
  problem?: string;
}

export interface SqlCount {
  scenario: ScenarioName;
  server: ServerKind;
  statementsPerOperation: number;
}

export interface HttpPoint {
  scenario: ScenarioName;
  server: ServerKind;
  connections: number;
  load: LoadResult;
  serverCpuPercent: number;
  serverPeakRssBytes: number;
  /** CPU of the database backends of the bench database; null when PostgreSQL is not on this machine. */
  databaseCpuPercent: number | null;
  /** CPU of this load-generator process, to see when it is the limit. */
  loadGeneratorCpuPercent: number;
}

export interface HttpPhaseResult {
  checks: CorrectnessCheck[];
  sqlCounts: SqlCount[];
  points: HttpPoint[];
}

export interface HttpPhasePlan {
  scenarios: ScenarioName[];
  servers: Map<ServerKind, ChildServer>;
  connections: number[];
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  sqlCount: boolean;
}

const SINGLE_REQUEST_TIMEOUT_MS = 30_000;

/** Checks every answer, counts SQL per operation, then measures every load point. */
export async function runHttpPhase(
  plan: HttpPhasePlan,
  client: Client,
  context: ScenarioContext,
): Promise<HttpPhaseResult> {
  const checks: CorrectnessCheck[] = [];
  for (const scenario of plan.scenarios) checks.push(...(await checkAnswers(plan, scenario, client, context)));
  const sqlCounts = plan.sqlCount ? await countStatements(plan, client, context) : [];
  const backends = (await isLocal(client)) ? () => databaseBackends(client) : null;
  const points: HttpPoint[] = [];
  // Servers take turns at each point, slice by slice (each round in a rotated order), so a change
  // in the machine's speed or other load during the point reaches them alike.
  const servers = [...plan.servers];
  const seconds = sliceSeconds(plan);
  for (const scenario of plan.scenarios) {
    for (const connections of plan.connections) {
      const slices = new Map<ServerKind, MeasuredSlice[]>(servers.map(([server]) => [server, []]));
      for (let round = 0; round < plan.rounds; round++) {
        for (let turn = 0; turn < servers.length; turn++) {
          const [server, child] = servers[(turn + round) % servers.length]!;
          log(
            `load: ${scenario}, ${connections} connections, ${SERVER_LABELS[server]}, round ${round + 1}/${plan.rounds}`,
          );
          const { request } = scenarioTarget(scenario, server, context);
          const warmupSeconds = round === 0 ? plan.warmupSeconds : 0;
          const slice = await measureSlice(child, request, backends, {
            connections,
            sliceSeconds: seconds,
            warmupSeconds,
          });
          slices.get(server)!.push(slice);
        }
      }
      for (const [server] of servers) points.push(mergePoint({ scenario, server, connections }, slices.get(server)!));
    }
  }
  return { checks, sqlCounts, points };
}

async function countStatements(plan: HttpPhasePlan, client: Client, context: ScenarioContext): Promise<SqlCount[]> {
  const counts: SqlCount[] = [];
  await waitForStatistics();
  for (const scenario of plan.scenarios) {
    for (const [server, child] of plan.servers) {
      log(`SQL statements per operation: ${scenario} on ${SERVER_LABELS[server]}`);
      const { request } = scenarioTarget(scenario, server, context);
      const perOperation = await statementsPerOperation(client, async () => {
        await sendOnce(child.baseUrl, request);
      });
      counts.push({ scenario, server, statementsPerOperation: perOperation });
    }
  }
  return counts;
}

async function checkAnswers(
  plan: HttpPhasePlan,
  scenario: ScenarioName,
  client: Client,
  context: ScenarioContext,
): Promise<CorrectnessCheck[]> {
  const expected = await expectedSummary(client, scenario, context);
  const checks: CorrectnessCheck[] = [];
  const bodies = new Map<ServerKind, unknown>();
  for (const [server, child] of plan.servers) {
    const target = scenarioTarget(scenario, server, context);
    const { status, body } = await sendOnce(child.baseUrl, target.request);
    const json = parseJson(body);
    bodies.set(server, json);
    const summary = json === undefined ? null : target.summarize(json);
    const problem = answerProblem(status, body, summary, expected);
    if (problem) log(`check failed: ${scenario} on ${SERVER_LABELS[server]}: ${problem}`);
    checks.push({ scenario, server, ok: !problem, status, summary, expected, ...(problem ? { problem } : {}) });
  }
  const raw = checks.find((check) => check.server === 'raw');
  if (raw && bodies.has('matchcast'))
    raw.sameJsonAsMatchcast = isDeepStrictEqual(bodies.get('raw'), bodies.get('matchcast'));
  return checks;
}

function answerProblem(
  status: number,
  body: string,
  summary: ResponseSummary | null,
  expected: ResponseSummary,
): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 300)}`;
  if (!summary) return `not JSON: ${body.slice(0, 300)}`;
  if (body.includes('"errors":[')) return `GraphQL errors: ${body.slice(0, 300)}`;
  if (!isDeepStrictEqual(summary, expected)) {
    return `expected ${JSON.stringify(expected)}, got ${JSON.stringify(summary)}`;
  }
  return null;
}

interface MeasuredSlice {
  load: LoadSlice;
  serverCpuPercent: number;
  serverPeakRssBytes: number;
  databaseCpuPercent: number | null;
  loadGeneratorCpuPercent: number;
}

async function measureSlice(
  child: ChildServer,
  request: HttpRequestSpec,
  databaseBackends: (() => Promise<number[]>) | null,
  slice: { connections: number; sliceSeconds: number; warmupSeconds: number },
): Promise<MeasuredSlice> {
  if (slice.warmupSeconds > 0) {
    await runLoad(child.baseUrl, request, { connections: slice.connections, durationSeconds: slice.warmupSeconds });
  }
  const databaseCpu = databaseBackends ? await sampleCpuOf(databaseBackends) : null;
  const serverUsage = sampleProcess(child.pid);
  const ownCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const load = await runLoad(child.baseUrl, request, {
    connections: slice.connections,
    durationSeconds: slice.sliceSeconds,
  });
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const elapsedMicros = (performance.now() - startedAt) * 1000;
  const usage = serverUsage.stop();
  return {
    load,
    serverCpuPercent: usage.cpuPercent,
    serverPeakRssBytes: usage.peakRssBytes,
    databaseCpuPercent: databaseCpu ? await databaseCpu.stop() : null,
    loadGeneratorCpuPercent: ((ownCpu.user + ownCpu.system) / elapsedMicros) * 100,
  };
}

/** A point from its slices: load merged, CPU weighted by each slice's length, the highest RSS. */
function mergePoint(point: Pick<HttpPoint, 'scenario' | 'server' | 'connections'>, slices: MeasuredSlice[]): HttpPoint {
  const seconds = slices.reduce((total, slice) => total + slice.load.durationSeconds, 0);
  const weighted = (of: (slice: MeasuredSlice) => number) =>
    slices.reduce((total, slice) => total + of(slice) * slice.load.durationSeconds, 0) / seconds;
  const databaseKnown = slices.every((slice) => slice.databaseCpuPercent !== null);
  return {
    ...point,
    load: mergeSlices(slices.map((slice) => slice.load)),
    serverCpuPercent: weighted((slice) => slice.serverCpuPercent),
    serverPeakRssBytes: Math.max(...slices.map((slice) => slice.serverPeakRssBytes)),
    databaseCpuPercent: databaseKnown ? weighted((slice) => slice.databaseCpuPercent!) : null,
    loadGeneratorCpuPercent: weighted((slice) => slice.loadGeneratorCpuPercent),
  };
}

/** Seconds of one slice of a point: autocannon runs whole seconds (a 3.3 s slice would take 4). */
export function sliceSeconds(options: { durationSeconds: number; rounds: number }): number {
  return Math.ceil(options.durationSeconds / options.rounds);
}

/** Whether PostgreSQL runs on this machine, so that its backends' CPU can be read from /proc. */
async function isLocal(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  return processName(rows[0]!.pid) === 'postgres';
}

/** Backend pids serving the bench database, other than the monitoring client's. */
async function databaseBackends(client: Client): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [BENCH_DATABASE],
  );
  return rows.map((row) => row.pid);
}

export async function sendOnce(baseUrl: string, request: HttpRequestSpec): Promise<{ status: number; body: string }> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(SINGLE_REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text() };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
