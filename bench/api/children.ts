import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../tests/support/free-port';

export interface ChildServer {
  name: string;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface ChildServerSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Path answered with 2xx once the server can take requests. */
  readyPath: string;
  /** Extra options for the readiness request (PostGraphile has no health route: a tiny query). */
  readyRequest?: RequestInit;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_LINES_KEPT = 40;

const running = new Set<ChildProcess>();

/** Starts a server on a free loopback port and resolves once it answers its readiness request. */
export async function startChildServer(spec: ChildServerSpec): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const output = keepTail(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(child, `${baseUrl}${spec.readyPath}`, spec.readyRequest);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${spec.name} did not start: ${(error as Error).message}\n${output().join('\n')}`);
  }
  return { name: spec.name, pid: child.pid!, baseUrl, stop: () => stopChild(child) };
}

/** Stops every server still running (on success, errors and Ctrl-C alike). */
export async function stopAllChildServers(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

/** Last resort when the process exits without awaiting stopAllChildServers. */
export function killAllChildServersNow(): void {
  for (const child of running) child.kill('SIGKILL');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
}

async function waitUntilReady(child: ChildProcess, url: string, init: RequestInit | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    }
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`no answer from ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

function keepTail(child: ChildProcess): () => string[] {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').trimEnd().split('\n'));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines;
}
