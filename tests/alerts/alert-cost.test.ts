import type { EntityManager } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertEvaluatorOf, publishingWithAlerts } from '../../src/alerts/alert.evaluator';
import { AlertKind, AlertScope } from '../../src/alerts/alert.enums';
import { fromGlobalId } from '../../src/common/global-id';
import { MatchEventType } from '../../src/matches/match.enums';
import { MatchService } from '../../src/matches/match.service';
import type { AppPubSub } from '../../src/pubsub/pubsub';
import { addOdds, addPrediction, createLeague, createMatches, unique } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * What alert evaluation adds to each recorded event: the Node.js CPU time of recording events
 * through the match service (as recordMatchEvent does, without HTTP) with the alert hook and
 * without it, with no rule, with 100 rules of other tenants on other matches, with 100 rules in
 * scope that do not fire and with 100 that all fire. Prints the figures; asserts only what must
 * hold whatever the machine (the statements the evaluation runs).
 */
const EVENTS_PER_ROUND = 20;
/** One round in the suite; `ALERT_COST_ROUNDS=7` for figures worth quoting. */
const ROUNDS = Number(process.env.ALERT_COST_ROUNDS ?? 1);

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

async function liveMatch(): Promise<{ matchId: number; home: number; away: number }> {
  const league = await createLeague(t.app.orm, 2);
  const [gid] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
  const matchId = fromGlobalId(gid).id;
  await addPrediction(t.app.orm, matchId, { homeWin: 0.45, draw: 0.27, awayWin: 0.28 }, new Date(Date.now() - 60_000));
  // Prices at which every prediction has an edge of at least 2.3 on its likeliest outcome.
  await addOdds(t.app.orm, matchId, 'generous', [10, 10, 10]);
  return { matchId, home: league.teams[0]!.id, away: league.teams[1]!.id };
}

/** `count` rules, each in a tenant of its own, scoped to `matchId`. */
async function addRules(count: number, matchId: number, kind: AlertKind, threshold: number): Promise<void> {
  await t.app.orm.em
    .fork()
    .getConnection()
    .execute(
      `with tenants as (insert into tenant (slug, name, created_at)
                      select 'cost-' || md5(random()::text), 'Cost', now() from generate_series(1, ?) returning id)
     insert into alert_rule (tenant_id, kind, threshold, scope, match_id, enabled, created_at, updated_at)
     select id, ?, ?, ?, ?, true, now(), now() from tenants`,
      [count, kind, threshold, AlertScope.MATCH, matchId],
    );
}

interface Scenario {
  name: string;
  withAlerts: boolean;
  match: { matchId: number; home: number; away: number };
}

function recorder(scenario: Scenario) {
  const pubSub: AppPubSub = scenario.withAlerts ? publishingWithAlerts(t.app.deps) : t.app.deps.pubSub;
  const { matchId, home, away } = scenario.match;
  return (type: MatchEventType, minute: number, side?: 'home' | 'away') =>
    new MatchService({
      em: t.app.orm.em.fork() as EntityManager,
      cache: t.app.deps.cache,
      pubSub,
      principal: null,
      sharedDataChanged: () => {},
    }).recordEvent({
      matchId,
      type,
      minute,
      teamId: side === undefined ? undefined : side === 'home' ? home : away,
      source: 'cost',
      externalId: unique(),
    });
}

/** CPU microseconds (and wall ms) per event of recording `EVENTS_PER_ROUND` goals, alerts awaited. */
async function measureRound(scenario: Scenario): Promise<{ cpuUs: number; wallMs: number }> {
  const record = recorder(scenario);
  await alertEvaluatorOf(t.app.deps).idle();
  const start = process.cpuUsage();
  const started = performance.now();
  for (let i = 1; i <= EVENTS_PER_ROUND; i++) {
    await record(MatchEventType.GOAL, 45, i % 2 ? 'home' : 'away');
  }
  await alertEvaluatorOf(t.app.deps).idle();
  const cpu = process.cpuUsage(start);
  return {
    cpuUs: (cpu.user + cpu.system) / EVENTS_PER_ROUND,
    wallMs: (performance.now() - started) / EVENTS_PER_ROUND,
  };
}

/** CPU microseconds per evaluation of `EVENTS_PER_ROUND` new predictions of the match, evaluated one by one. */
async function measureEvaluation(scenario: Scenario): Promise<number> {
  const { matchId } = scenario.match;
  const rows = await t.app.orm.em
    .fork()
    .getConnection()
    .execute<{ id: number }[]>(
      `insert into prediction (match_id, model_name, model_version, home_win, draw, away_win,
       expected_home_goals, expected_away_goals, created_at)
     select ?, 'cost', '1', 0.5, 0.25, 0.25, 1.4, 1.1, now() + make_interval(secs => g) from generate_series(1, ?) g
     returning id`,
      [matchId, EVENTS_PER_ROUND],
    );
  const evaluator = alertEvaluatorOf(t.app.deps);
  const start = process.cpuUsage();
  for (const { id } of rows) await evaluator.evaluate({ predictionId: id, matchId });
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / rows.length;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

describe('cost of alert evaluation per recorded event', () => {
  it('runs one statement per event when no rule is in scope, and reports CPU time per event', async () => {
    const elsewhere = await liveMatch();
    await addRules(100, elsewhere.matchId, AlertKind.HOME_WIN_ABOVE, 0.99);
    const scenarios: Scenario[] = [
      { name: 'no alert hook', withAlerts: false, match: await liveMatch() },
      { name: '0 rules', withAlerts: true, match: await liveMatch() },
      // 100 rules of other tenants on another match: not candidates.
      { name: '100 rules elsewhere', withAlerts: true, match: await liveMatch() },
      // 100 rules of other tenants on this match, evaluated, none firing (the draw stays below 0.99).
      { name: '100 rules in scope, none fire', withAlerts: true, match: await liveMatch() },
      // 100 rules of other tenants on this match, all firing on every event: 100 alerts stored and published.
      { name: '100 rules in scope, all fire', withAlerts: true, match: await liveMatch() },
    ];
    await addRules(100, scenarios[3]!.match.matchId, AlertKind.DRAW_ABOVE, 0.99);
    await addRules(100, scenarios[4]!.match.matchId, AlertKind.EDGE_OVER_BEST_PRICE, 0.05);
    for (const scenario of scenarios) await recorder(scenario)(MatchEventType.KICK_OFF, 0);
    await alertEvaluatorOf(t.app.deps).idle();

    t.resetQueries();
    await measureRound(scenarios[2]!);
    expect(t.queries.filter((sql) => /\bfrom alert_rule\b/.test(sql))).toHaveLength(EVENTS_PER_ROUND);
    expect(t.queries.filter((sql) => /insert into alert_event/.test(sql))).toEqual([]);
    t.resetQueries();
    await measureRound(scenarios[4]!);
    expect(t.queries.filter((sql) => /insert into alert_event/.test(sql))).toHaveLength(EVENTS_PER_ROUND);

    // Rounds interleave the scenarios, so a busy moment of the machine spreads over all of them.
    const rounds = new Map<string, { cpuUs: number; wallMs: number }[]>(scenarios.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of scenarios) rounds.get(scenario.name)!.push(await measureRound(scenario));
    }
    const evaluations = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of scenarios.slice(1))
        evaluations.get(scenario.name)!.push(await measureEvaluation(scenario));
    }
    const results = scenarios.map((scenario) => {
      const measured = rounds.get(scenario.name)!;
      return {
        name: scenario.name,
        cpuUs: median(measured.map((m) => m.cpuUs)),
        wallMs: median(measured.map((m) => m.wallMs)),
        evaluationUs: scenario.withAlerts ? median(evaluations.get(scenario.name)!) : 0,
      };
    });
    const base = results[0]!.cpuUs;
    console.info(
      `[alerts] Node.js CPU per recorded event, median of ${ROUNDS} rounds of ${EVENTS_PER_ROUND} events:\n` +
        results
          .map(
            (r) =>
              `  ${r.name.padEnd(30)} ${r.cpuUs.toFixed(0).padStart(6)} µs ` +
              `(${r.cpuUs - base >= 0 ? '+' : ''}${(r.cpuUs - base).toFixed(0)} µs), ${r.wallMs.toFixed(2)} ms wall; ` +
              `evaluation alone ${r.evaluationUs.toFixed(0)} µs CPU`,
          )
          .join('\n'),
    );
  }, 600_000);
});
