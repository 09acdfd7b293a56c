import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { idOf, toGlobalId } from '../../src/common/global-id';
import { MAX_OPERATION_NAMES } from '../../src/metrics/prometheus';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { MatchStatus } from '../../src/matches/match.enums';
import {
  CompetitionsDocument,
  MatchDetailDocument,
  MatchUpdatedDocument,
  RecordMatchEventDocument,
  RefreshPredictionsDocument,
} from '../generated/graphql';
import { addPrediction, createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { memberOnPlan, post } from '../quotas/plans';
import { familyOf, parseExposition, samplesOf, total, type Scrape } from './exposition';
import { metricNamesIn } from './promql';

const MONITORING = path.resolve(__dirname, '../../monitoring');

let t: TestApp;
let liveMatchId: string;
let operator: GraphqlClient;
let operatorKey: string;
let league: League;
let scrape: Scrape;

async function scrapeMetrics(url = t.app.metricsUrl): Promise<Scrape> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

/** Queries, a subscription, events (recorded, repeated, refused), a refresh and refusals by quota. */
async function serveTraffic(): Promise<void> {
  await operator.data(CompetitionsDocument);
  await post(t.app.url, operatorKey, '{ competitions { code } }');
  await post(t.app.url, operatorKey, '{ competitions { code }'); // does not parse
  const past = Date.now() - 20 * 86_400_000;
  // Finished matches with an elo prediction made before kick-off (the live RPS), and a fixture.
  const finished = await createMatches(
    t.app.orm,
    league,
    [0, 1, 2].map((i) => ({
      home: league.teams[i]!.id,
      away: league.teams[i + 1]!.id,
      kickoff: new Date(past + i * 86_400_000),
      status: MatchStatus.FINISHED,
      homeGoals: i,
      awayGoals: 1,
    })),
  );
  for (const [i, gid] of finished.entries()) {
    const id = idOf('Match', gid);
    await addPrediction(
      t.app.orm,
      id,
      { homeWin: 0.5, draw: 0.3, awayWin: 0.2 },
      new Date(past - 86_400_000 + i),
      'elo',
    );
  }
  // The second stays a fixture to predict.
  const [live] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[3]!.id, kickoff: new Date(Date.now() + 86_400_000) },
    { home: league.teams[3]!.id, away: league.teams[0]!.id, kickoff: new Date(Date.now() + 2 * 86_400_000) },
  ]);
  await operator.data(MatchDetailDocument, { id: live! });
  liveMatchId = live!;

  const ws = operator.websocket();
  const subscription = new Subscription(ws, MatchUpdatedDocument, { matchId: live! });
  await new Promise((r) => setTimeout(r, 200));
  const kickOff = {
    matchId: live!,
    type: 'KICK_OFF' as const,
    minute: 0,
    source: 'metrics-test',
    externalId: unique(),
  };
  await operator.data(RecordMatchEventDocument, { input: kickOff });
  await operator.data(RecordMatchEventDocument, { input: kickOff }); // a repeated delivery
  expect(await operator.errorCodes(RecordMatchEventDocument, { input: { ...kickOff, externalId: unique() } })).toEqual([
    'INVALID_STATE',
  ]);
  await subscription.waitFor(1);
  // Scraped while the subscription runs: the gauges are checked on this scrape.
  scrape = await scrapeMetrics();
  subscription.close();
  await ws.dispose();

  await operator.data(RefreshPredictionsDocument, { competition: league.code });
  const limited = await memberOnPlan(t.app.orm, Role.VIEWER, { requestsPerMinute: 1 });
  await post(t.app.url, limited.apiKey, '{ competitions { code } }');
  expect((await post(t.app.url, limited.apiKey, '{ competitions { code } }')).status).toBe(429);
}

beforeAll(async () => {
  // The response cache is on, as in production: its hits and misses are counted.
  t = await startTestApp({ responseCache: true });
  const member = await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
  operatorKey = member.apiKey;
  operator = t.client(member.apiKey);
  league = await createLeague(t.app.orm, 4);
  await serveTraffic();
}, 60_000);

describe('GET /metrics after queries, a subscription, events and a refresh', () => {
  it('counts HTTP operations by name and type, with anonymous and invalid ones bounded', async () => {
    const after = await scrapeMetrics();
    expect(total(after, 'matchcast_graphql_operations_total', { operation: 'Competitions', type: 'query' })).toBe(1);
    expect(total(after, 'matchcast_graphql_operations_total', { operation: 'anonymous', type: 'query' })).toBe(3);
    expect(total(after, 'matchcast_graphql_operations_total', { operation: 'invalid', type: 'unknown' })).toBe(1);
    expect(
      total(after, 'matchcast_graphql_operation_errors_total', { operation: 'invalid', code: 'GRAPHQL_PARSE_FAILED' }),
    ).toBe(1);
    expect(
      total(after, 'matchcast_graphql_operation_errors_total', {
        operation: 'RecordMatchEvent',
        code: 'INVALID_STATE',
      }),
    ).toBe(1);
    expect(total(after, 'matchcast_graphql_operation_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
    expect(total(after, 'matchcast_graphql_operation_duration_seconds_count', { operation: 'RecordMatchEvent' })).toBe(
      3,
    );
    // Four were sent; the one refused by its quota never ran.
    expect(total(after, 'matchcast_graphql_root_field_duration_seconds_count', { field: 'Query.competitions' })).toBe(
      3,
    );
    expect(
      total(after, 'matchcast_graphql_root_field_duration_seconds_count', { field: 'Mutation.refreshPredictions' }),
    ).toBe(1);
  });

  it('counts queries and mutations sent over WebSocket with those sent over HTTP', async () => {
    const before = await scrapeMetrics();
    const ws = operator.websocket();
    const found = new Subscription(ws, MatchDetailDocument, { id: liveMatchId });
    await found.waitFor(1);
    const missing = new Subscription(ws, MatchDetailDocument, { id: toGlobalId('Match', 987_654_321) });
    await missing.waitFor(1).catch(() => undefined);
    await ws.dispose();
    const after = await scrapeMetrics();
    const labels = { operation: 'MatchDetail', type: 'query' };
    const count = (scrape: Scrape) => total(scrape, 'matchcast_graphql_operations_total', labels);
    const notFound = (scrape: Scrape) =>
      total(scrape, 'matchcast_graphql_operation_errors_total', { ...labels, code: 'NOT_FOUND' });
    expect(count(after) - count(before)).toBe(2);
    expect(notFound(after) - notFound(before)).toBe(1);
  });

  it('counts DataLoader batches, SQL statements and reads the pool without going negative', async () => {
    const after = await scrapeMetrics();
    expect(total(after, 'matchcast_dataloader_batch_size_count')).toBeGreaterThan(0);
    expect(total(after, 'matchcast_dataloader_batch_duration_seconds_count', { loader: 'relations' })).toBeGreaterThan(
      0,
    );
    expect(total(after, 'matchcast_db_statements_total', { kind: 'select' })).toBeGreaterThan(0);
    expect(total(after, 'matchcast_db_statements_total', { kind: 'commit' })).toBeGreaterThan(0);
    for (const state of ['in_use', 'idle']) {
      expect(samplesOf(after, 'matchcast_db_pool_connections', { state })[0]?.value).toBeGreaterThanOrEqual(0);
    }
    expect(samplesOf(after, 'matchcast_db_pool_waiting')[0]?.value).toBeGreaterThanOrEqual(0);
    expect(samplesOf(after, 'matchcast_db_pool_max')[0]?.value).toBe(10);
    expect(samplesOf(after, 'matchcast_ready')[0]?.value).toBe(1);
  });

  it('counts cache hits and misses of each cache', async () => {
    const after = await scrapeMetrics();
    // The operator's key: read once (a miss), then remembered.
    expect(total(after, 'matchcast_cache_requests_total', { cache: 'principal', result: 'hit' })).toBeGreaterThan(0);
    expect(total(after, 'matchcast_cache_requests_total', { cache: 'principal', result: 'miss' })).toBeGreaterThan(0);
    expect(total(after, 'matchcast_cache_requests_total', { cache: 'response', result: 'miss' })).toBeGreaterThan(0);
    // getById at subscribe time reads the match through the keyv cache.
    expect(total(after, 'matchcast_cache_requests_total', { cache: 'keyv' })).toBeGreaterThan(0);
  });

  it('shows the open WebSocket and its subscription while they run, and none after', async () => {
    expect(samplesOf(scrape, 'matchcast_websocket_connections')[0]?.value).toBe(1);
    expect(total(scrape, 'matchcast_subscriptions_active', { field: 'matchUpdated' })).toBe(1);
    // The server sees the close a moment after the client sent it.
    let after = await scrapeMetrics();
    const deadline = Date.now() + 5000;
    while (samplesOf(after, 'matchcast_websocket_connections')[0]?.value !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = await scrapeMetrics();
    }
    expect(samplesOf(after, 'matchcast_websocket_connections')[0]?.value).toBe(0);
    expect(total(after, 'matchcast_subscriptions_active', { field: 'matchUpdated' })).toBe(0);
    expect(total(after, 'matchcast_subscriptions_started_total', { field: 'matchUpdated' })).toBe(1);
    expect(total(after, 'matchcast_websocket_closes_total')).toBeGreaterThanOrEqual(1);
  });

  it('counts events recorded, repeated and refused, and the lag of their push to subscribers', async () => {
    const after = await scrapeMetrics();
    expect(total(after, 'matchcast_match_events_total', { outcome: 'recorded', type: 'KICK_OFF' })).toBe(1);
    expect(total(after, 'matchcast_match_events_total', { outcome: 'duplicate', type: 'KICK_OFF' })).toBe(1);
    expect(total(after, 'matchcast_match_events_total', { outcome: 'rejected', type: 'KICK_OFF' })).toBe(1);
    // One event changed the match: one push to the one subscription group.
    expect(total(after, 'matchcast_event_push_lag_seconds_count', { field: 'matchUpdated' })).toBe(1);
    const lag = total(after, 'matchcast_event_push_lag_seconds_sum', { field: 'matchUpdated' });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
  });

  it('times the refresh and the model fit, and exports live and backtest RPS by model', async () => {
    const after = await scrapeMetrics();
    expect(total(after, 'matchcast_prediction_refresh_duration_seconds_count')).toBe(1);
    expect(total(after, 'matchcast_prediction_model_fit_duration_seconds_count')).toBe(1);
    const liveElo = samplesOf(after, 'matchcast_prediction_live_rps', { model: 'elo' })[0]?.value;
    expect(liveElo).toBeGreaterThan(0);
    expect(liveElo).toBeLessThan(1);
    expect(
      samplesOf(after, 'matchcast_prediction_live_rps_matches', { model: 'elo' })[0]?.value,
    ).toBeGreaterThanOrEqual(3);
    const backtest = samplesOf(after, 'matchcast_prediction_backtest_rps');
    expect(backtest.map((s) => s.labels.model)).toContain('ensemble');
    for (const sample of backtest) expect(sample.value).toBeGreaterThan(0);
  });

  it('counts rate-limit refusals by plan and admitted operations by tenant', async () => {
    const after = await scrapeMetrics();
    const refused = samplesOf(after, 'matchcast_rate_limited_total').filter((s) => s.value > 0);
    expect(refused).toEqual([
      expect.objectContaining({ labels: { plan: expect.stringMatching(/^tiny-/), quota: 'requests' }, value: 1 }),
    ]);
    expect(total(after, 'matchcast_tenant_operations_total')).toBeGreaterThanOrEqual(8);
  });

  it('includes the default process metrics', async () => {
    const after = await scrapeMetrics();
    expect(after.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(after.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });
});

describe('the monitoring/ configuration', () => {
  const rules = parseYaml(readFileSync(path.join(MONITORING, 'prometheus/rules/matchcast.yml'), 'utf8')) as {
    groups: {
      rules: {
        record?: string;
        alert?: string;
        expr: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      }[];
    }[];
  };
  const dashboard = JSON.parse(readFileSync(path.join(MONITORING, 'grafana/dashboards/matchcast.json'), 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
    templating: { list: { query: { query: string } }[] };
  };
  const ruleExprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
  const dashboardExprs = [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => target.expr)),
    // Variables: label_values(metric, label) reads `metric`.
    ...dashboard.templating.list.map((v) => v.query.query.replace(/^label_values\(([^,]+),.*$/, '$1')),
  ];
  const recorded = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
  // Series Prometheus makes itself, not the server.
  const synthesised = new Set(['up']);

  it('names only metric families the server exports, in every rule and dashboard panel', async () => {
    const after = await scrapeMetrics();
    expect(ruleExprs.length).toBeGreaterThan(10);
    expect(dashboardExprs.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const expr of [...ruleExprs, ...dashboardExprs]) {
      for (const name of metricNamesIn(expr)) {
        if (synthesised.has(name) || recorded.has(name)) continue;
        if (name.includes(':') || familyOf(after, name) === null) missing.push(`${name} (in ${expr.trim()})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives every alert a severity, a summary, a description and a runbook section that exists', () => {
    const runbooks = readFileSync(path.resolve(MONITORING, '../docs/runbooks.md'), 'utf8');
    const alerts = rules.groups.flatMap((g) => g.rules.filter((r) => r.alert));
    expect(alerts.length).toBeGreaterThanOrEqual(11);
    for (const alert of alerts) {
      expect(alert.labels?.severity, alert.alert).toMatch(/^(page|ticket)$/);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      expect(alert.annotations?.runbook_url).toBe(
        `https://github.com/matchcast/matchcast/blob/main/docs/runbooks.md#${alert.alert!.toLowerCase()}`,
      );
      expect(runbooks).toContain(`\n## ${alert.alert}\n`);
    }
  });

  it('finds metric names in PromQL, not functions, keywords, labels or variables', () => {
    expect(
      [
        ...metricNamesIn(
          'histogram_quantile(0.99, sum by (le, field) (rate(a_bucket{code=~"4008|x"}[5m]))) > 2 and on (model) b > 1.1 * max by (model) (c)',
        ),
      ].sort(),
    ).toEqual(['a_bucket', 'b', 'c']);
    expect([...metricNamesIn('sum(rate(d_total{instance=~"$instance"}[$__rate_interval])) without (x) / e')]).toEqual([
      'd_total',
      'e',
    ]);
  });
});

describe('operation names as labels', () => {
  it(`keeps at most ${MAX_OPERATION_NAMES} names (others are counted as other) whatever clients send`, async () => {
    const names = Array.from({ length: 200 }, () => `Random${unique()}${unique()}`);
    for (const name of names) await post(t.app.url, operatorKey, `query ${name} { competitions { code } }`);
    const after = await scrapeMetrics();
    const operations = new Set(samplesOf(after, 'matchcast_graphql_operations_total').map((s) => s.labels.operation));
    expect(operations.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 3); // + anonymous, invalid, other
    expect(total(after, 'matchcast_graphql_operations_total', { operation: 'other' })).toBeGreaterThanOrEqual(
      200 - MAX_OPERATION_NAMES,
    );
    const random = [...operations].filter((name) => name?.startsWith('Random'));
    expect(random.length).toBeLessThan(MAX_OPERATION_NAMES);
  });
});
