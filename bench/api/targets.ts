import type { HttpPoint } from './http-phase';
import type { ScenarioName } from './scenarios';
import type { ServerKind } from './servers';
import type { SubscriptionPhaseResult } from './subscription-phase';

export interface TargetResult {
  target: string;
  /** What was measured, for humans. */
  value: string;
  /** null when not measured in this run (connection level or phase left out, or it failed). */
  met: boolean | null;
}

const TARGET_LEVELS = [16, 64];
const SCENARIO_TITLES: Record<ScenarioName, string> = { 'match-list': 'scenario 1', 'match-detail': 'scenario 2' };

export function httpTargets(points: HttpPoint[], scenarios: ScenarioName[]): TargetResult[] {
  return scenarios.flatMap((scenario) => {
    const find = (server: ServerKind, connections: number) =>
      points.find((p) => p.scenario === scenario && p.server === server && p.connections === connections);
    const title = SCENARIO_TITLES[scenario];
    const perLevel = TARGET_LEVELS.flatMap((connections) => {
      const matchcast = find('matchcast', connections);
      const cached = find('matchcast-cached', connections);
      const postgraphile = find('postgraphile', connections);
      return [
        throughputTarget(
          `${title}, cache off, ${connections} conns: ≥ 0.8× PostGraphile`,
          matchcast,
          postgraphile,
          0.8,
        ),
        p99Target(`${title}, cache off, ${connections} conns: p99 ≤ PostGraphile's`, matchcast, postgraphile),
        throughputTarget(`${title}, cache on, ${connections} conns: ≥ 3× PostGraphile`, cached, postgraphile, 3),
      ];
    });
    const levels = points.filter((p) => p.scenario === scenario && p.server === 'matchcast');
    return [
      ...perLevel,
      noTimeoutsTarget(`${title}, cache off: no timeouts at any level`, levels),
      noCollapseTarget(
        `${title}, cache off: req/s at 64 within 20% of 16`,
        find('matchcast', 16),
        find('matchcast', 64),
      ),
    ];
  });
}

function throughputTarget(target: string, point?: HttpPoint, baseline?: HttpPoint, factor = 1): TargetResult {
  if (!point || !baseline) return notMeasured(target);
  const value = point.load.requestsPerSecond / baseline.load.requestsPerSecond;
  return { target, value: `${value.toFixed(2)}×`, met: value >= factor };
}

function p99Target(target: string, point?: HttpPoint, baseline?: HttpPoint): TargetResult {
  if (!point || !baseline) return notMeasured(target);
  const [p99, baselineP99] = [point.load.p99Ms, baseline.load.p99Ms];
  return {
    target,
    value: `${p99 ?? 'no answer'} vs ${baselineP99 ?? 'no answer'} ms`,
    met: p99 !== null && (baselineP99 === null || p99 <= baselineP99),
  };
}

function noTimeoutsTarget(target: string, points: HttpPoint[]): TargetResult {
  if (points.length === 0) return notMeasured(target);
  const timeouts = points.reduce((total, point) => total + point.load.timeouts, 0);
  return { target, value: `${timeouts} timeouts`, met: timeouts === 0 };
}

function noCollapseTarget(target: string, at16?: HttpPoint, at64?: HttpPoint): TargetResult {
  if (!at16 || !at64) return notMeasured(target);
  const value = at64.load.requestsPerSecond / at16.load.requestsPerSecond;
  return { target, value: `${value.toFixed(2)}× of 16`, met: value >= 0.8 };
}

export function subscriptionTargets(result: SubscriptionPhaseResult): TargetResult[] {
  const largest = result.fanout.at(-1);
  const fanout = largest?.outcome.ok ? largest.outcome.result : null;
  const ingest = result.ingestPush.outcome.ok ? result.ingestPush.outcome.result : null;
  const subscribers = largest?.subscribers.toLocaleString('en') ?? '–';
  return [
    fanout
      ? {
          target: `fan-out to ${subscribers}: p99 ≤ 200 ms, every subscriber reached`,
          value: `${fanout.p99Ms.toFixed(0)} ms, ${fanout.missing} missing`,
          met: fanout.p99Ms <= 200 && fanout.missing === 0,
        }
      : notMeasured(`fan-out to ${subscribers}: p99 ≤ 200 ms`),
    fanout
      ? {
          target: `idle subscriptions (${subscribers}): ≤ 20 KB RSS each`,
          value: `${(fanout.bytesPerSubscription / 1024).toFixed(1)} KB`,
          met: fanout.bytesPerSubscription <= 20 * 1024,
        }
      : notMeasured('idle subscriptions: ≤ 20 KB RSS each'),
    ingest
      ? {
          target: `ingest → push, ${result.ingestPush.settings.eventsPerSecond} events/s: p99 ≤ 50 ms`,
          value: `${ingest.p99Ms.toFixed(0)} ms, ${ingest.errors} errors, ${ingest.deliveries}/${ingest.expectedDeliveries} delivered`,
          met: ingest.p99Ms <= 50 && ingest.errors === 0 && ingest.deliveries >= ingest.expectedDeliveries,
        }
      : notMeasured('ingest → push: p99 ≤ 50 ms'),
  ];
}

const notMeasured = (target: string): TargetResult => ({ target, value: 'not measured', met: null });
