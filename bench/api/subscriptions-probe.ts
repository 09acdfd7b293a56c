import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Linux clock ticks per second (USER_HZ); /proc reports CPU times in them. */
const TICKS_PER_SECOND = 100;

/** Resident set size of a process from /proc/<pid>/status (VmRSS), in bytes; 0 if unreadable. */
export function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds a process has used, from /proc/<pid>/stat; null if unreadable. */
export function readCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Waits until the server has used under `busyShare` of one core over `windowMs`, twice in a
 * row, or `maxWaitMs` has passed. graphql-ws sends nothing when a subscription starts, so a
 * quiet server is the sign that it has finished setting subscriptions up (or releasing them).
 * Returns false when it did not go quiet in time, or the process cannot be read.
 */
export async function waitForQuietServer(
  pid: number,
  options: { maxWaitMs: number; windowMs?: number; busyShare?: number },
): Promise<boolean> {
  const windowMs = options.windowMs ?? 500;
  const busyShare = options.busyShare ?? 0.05;
  const deadline = performance.now() + options.maxWaitMs;
  let quietWindows = 0;
  let before = readCpuSeconds(pid);
  while (before !== null && performance.now() < deadline) {
    await sleep(windowMs);
    const after = readCpuSeconds(pid);
    if (after === null) return false;
    quietWindows = (after - before) / (windowMs / 1000) < busyShare ? quietWindows + 1 : 0;
    if (quietWindows >= 2) return true;
    before = after;
  }
  return false;
}

/** Resolves when `done()` holds (checked every `pollMs`) or after `timeoutMs`; returns `done()`. */
export async function waitUntil(done: () => boolean, timeoutMs: number, pollMs = 5): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await sleep(pollMs);
  return done();
}

export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentiles of the latencies, to 0.01 ms; NaN for every figure when there are none. */
export function summarize(latenciesMs: number[]): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (p: number) =>
    sorted.length ? Math.round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! * 100) / 100 : Number.NaN;
  return { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
}
