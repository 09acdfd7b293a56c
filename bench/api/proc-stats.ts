import fs from 'node:fs';
import { readCpuSeconds, readRssBytes } from './subscriptions-probe';

export interface ProcessUsage {
  /** utime + stime over the sampled interval, as % of one core (200 = two cores busy). */
  cpuPercent: number;
  /** Highest VmRSS seen, sampled every 100 ms. */
  peakRssBytes: number;
}

const RSS_SAMPLE_MS = 100;

/** Starts measuring a process's CPU and RSS (Linux /proc); stop() returns the figures. */
export function sampleProcess(pid: number): { stop(): ProcessUsage } {
  const startedAt = performance.now();
  const cpuBefore = readCpuSeconds(pid);
  let peakRssBytes = readRssBytes(pid);
  const timer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, readRssBytes(pid));
  }, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      const cpuAfter = readCpuSeconds(pid);
      const used = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : 0;
      return { cpuPercent: percentOfCore(used, startedAt), peakRssBytes: Math.max(peakRssBytes, readRssBytes(pid)) };
    },
  };
}

/**
 * CPU of a changing set of processes (database backends) over an interval, as % of one core.
 * Processes that appear during the interval count from their start.
 */
export async function sampleCpuOf(listPids: () => Promise<number[]>): Promise<{ stop(): Promise<number> }> {
  const startedAt = performance.now();
  const before = new Map((await listPids()).map((pid) => [pid, readCpuSeconds(pid) ?? 0]));
  return {
    async stop() {
      let used = 0;
      // A process that ended during the interval took its last ticks with it: a small undercount.
      for (const pid of new Set([...before.keys(), ...(await listPids())])) {
        const end = readCpuSeconds(pid);
        if (end !== null) used += end - (before.get(pid) ?? 0);
      }
      return percentOfCore(used, startedAt);
    },
  };
}

function percentOfCore(cpuSeconds: number, startedAt: number): number {
  const seconds = (performance.now() - startedAt) / 1000;
  return seconds > 0 ? (cpuSeconds / seconds) * 100 : 0;
}

/** The command name of a process (`/proc/<pid>/comm`); null when there is no such process here. */
export function processName(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}
