import { performance } from 'node:perf_hooks';
import { Router } from 'express';
import type { Logger } from '../logger';

/** One readiness condition: resolves (optionally with details) when met, throws when not. */
export interface HealthCheck {
  name: string;
  run(): Promise<Record<string, unknown> | void>;
}

export interface CheckResult {
  status: 'ok' | 'fail';
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

export interface HealthReport {
  status: 'ok' | 'fail';
  checks: Record<string, CheckResult>;
}

/** Longest one check may take (default): a probe answers within it, even when a backend hangs. */
export const CHECK_TIMEOUT_MS = 2000;

/** Longer than this between two turns of the event loop: the process is stuck, not alive. */
const EVENT_LOOP_LAG_LIMIT_MS = 1000;

/**
 * `/healthz` (liveness: the process answers and its event loop turns) and `/readyz` (readiness:
 * every check passes). Bodies name each check with its status and latency; 503 when one fails.
 * Concurrent readiness probes share one run of the checks.
 */
export function healthRouter(options: { checks: HealthCheck[]; logger: Logger; timeoutMs?: number }): Router {
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const readiness = sharedRuns(() => runChecks(options.checks, timeoutMs));
  const logChanges = transitionLogger(options.logger);
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const report = await runChecks([eventLoopCheck], EVENT_LOOP_LAG_LIMIT_MS * 2);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  router.get('/readyz', async (_req, res) => {
    const report = await readiness();
    logChanges(report);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  return router;
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function runChecks(checks: HealthCheck[], timeoutMs: number): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  const entries = checks.map((check, i) => [check.name, results[i]!] as const);
  return {
    status: results.every((result) => result.status === 'ok') ? 'ok' : 'fail',
    checks: Object.fromEntries(entries),
  };
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const details = await Promise.race([check.run(), timeout]);
    return { status: 'ok', latencyMs: latencyMs(), ...details };
  } catch (error) {
    return { status: 'fail', latencyMs: latencyMs(), error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

// A short reason for operators: the error's code and message, without credentials in URLs.
function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : String(error);
  const withCode = typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  return withCode.replace(/(:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@').slice(0, 300);
}

const eventLoopCheck: HealthCheck = {
  name: 'eventLoop',
  run: async () => {
    const started = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    const lagMs = performance.now() - started;
    if (lagMs > EVENT_LOOP_LAG_LIMIT_MS) throw new Error(`event loop lagging by ${Math.round(lagMs)} ms`);
  },
};

// Probes arriving while checks run get that run's answer instead of starting another.
function sharedRuns<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () =>
    (running ??= run().finally(() => {
      running = null;
    }));
}

// One line when readiness changes, naming what failed: not one per probe.
function transitionLogger(logger: Logger): (report: HealthReport) => void {
  let last: HealthReport['status'] | null = null;
  return (report) => {
    if (report.status === last) return;
    const failing = Object.entries(report.checks).filter(([, check]) => check.status === 'fail');
    if (report.status === 'ok') logger.info('ready');
    else logger.warn({ failing: Object.fromEntries(failing.map(([name, check]) => [name, check.error])) }, 'not ready');
    last = report.status;
  };
}
