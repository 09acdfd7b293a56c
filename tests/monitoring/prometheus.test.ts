import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';
import { startTestApp, type TestApp } from '../support/test-app';
import { requireTool } from './tools';

const PROMETHEUS = '/usr/bin/prometheus';
const RULES_DIR = path.resolve(__dirname, '../../monitoring/prometheus/rules');
const TOKEN = 'prometheus-test-token-0123456789';
const hasPrometheus = requireTool(PROMETHEUS, 'prometheus');

interface ApiAnswer<T> {
  status: string;
  data: T;
}

describe.skipIf(!hasPrometheus)('a real Prometheus with monitoring/ rules, scraping the server', () => {
  let t: TestApp;
  let prometheus: ChildProcess;
  let api: string;
  let workDir: string;
  let log = '';

  beforeAll(async () => {
    t = await startTestApp({ metrics: { token: TOKEN } });
    workDir = mkdtempSync(path.join(tmpdir(), 'matchcast-prometheus-'));
    cpSync(RULES_DIR, path.join(workDir, 'rules'), { recursive: true });
    writeFileSync(path.join(workDir, 'token'), TOKEN);
    const target = new URL(t.app.metricsUrl);
    // The shipped prometheus.yml with a fast scrape, this server as `app:4000`, and its token.
    writeFileSync(
      path.join(workDir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'rule_files: [rules/*.yml]',
        'scrape_configs:',
        '  - job_name: matchcast',
        `    metrics_path: ${target.pathname}`,
        `    authorization: { type: Bearer, credentials_file: ${path.join(workDir, 'token')} }`,
        `    static_configs: [{ targets: ['${target.host}'] }]`,
      ].join('\n'),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(workDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(workDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    prometheus.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  }, 30_000);

  afterAll(() => {
    prometheus?.kill('SIGTERM');
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function get<T>(query: string): Promise<T | null> {
    try {
      const response = await fetch(`${api}/${query}`);
      if (!response.ok) return null;
      const answer = (await response.json()) as ApiAnswer<T>;
      return answer.status === 'success' ? answer.data : null;
    } catch {
      return null; // not listening yet
    }
  }

  async function eventually<T>(read: () => Promise<T | null>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 25_000;
    let last: T | null = null;
    while (Date.now() < deadline) {
      last = await read();
      if (last !== null && done(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`Prometheus never got there; last answer ${JSON.stringify(last)}; its log:\n${log}`);
  }

  it('scrapes the server with its token (up == 1) and evaluates every rule without error', async () => {
    type Vector = { result: { metric: Record<string, string>; value: [number, string] }[] };
    const up = await eventually(
      () => get<Vector>('query?query=up%7Bjob%3D%22matchcast%22%7D'),
      (data) => data.result.length > 0 && data.result.every((r) => r.value[1] === '1'),
    );
    expect(up.result).toHaveLength(1);
    type Rules = { groups: { rules: { name: string; health: string; lastError?: string; type: string }[] }[] };
    const rules = await eventually(
      () => get<Rules>('rules'),
      (data) => data.groups.length > 0 && data.groups.every((g) => g.rules.every((r) => r.health !== 'unknown')),
    );
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    // With the server up and ready, the availability alerts stay silent.
    const ready = await get<Vector>('query?query=matchcast_ready');
    expect(ready?.result.map((r) => r.value[1])).toEqual(['1']);
    type Alerts = { alerts: { labels: { alertname: string } }[] };
    const alerts = await get<Alerts>('alerts');
    expect(alerts?.alerts.map((a) => a.labels.alertname)).not.toContain('MatchcastDown');
    expect(alerts?.alerts.map((a) => a.labels.alertname)).not.toContain('MatchcastNotReady');
  }, 40_000);
});
