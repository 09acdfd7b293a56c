import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppDependencies } from '../context';
import type { Orm } from '../db/orm';
import { selectRows } from '../db/select';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic, type PredictionUpdatedPayload } from '../pubsub/topics';
import { firedValues, type BookPrices, type Probabilities } from './alert.conditions';
import { MARKET_INFORMED } from '../predictions/market-informed';
import { AlertKind, AlertScope } from './alert.enums';
import type { AlertTriggeredPayload } from './alert.snapshot';
import type { AlertValues } from './alert.types';
import { ALERT_EVENT_COLUMNS, ALERT_RULE_COLUMNS, type AlertEventRow, type AlertRuleRow } from './alert.views';

const RULE_COLUMNS_OF_R = ALERT_RULE_COLUMNS.split(', ')
  .map((column) => `r.${column}`)
  .join(', ');

/**
 * Every enabled rule whose scope covers the prediction's match and whose model (if any) made it,
 * each with the previous prediction it is compared with (same model when the rule names one,
 * otherwise the match's previous prediction). A rule without a model follows the independent
 * forecasts: the market-informed one moves with the prices, so it only fires rules that name it.
 * One statement; each branch is an index lookup: rules
 * by match, by team, by competition, and the WATCHLIST rules of the tenants watching any of those.
 */
const candidatesSql = (PRIOR: string) => `
with p as (
  select id, match_id, model_name, home_win, draw, away_win, created_at from prediction where id = ?
), m as (
  select m.id, m.home_team_id, m.away_team_id, s.competition_id
    from match m join season s on s.id = m.season_id where m.id = (select match_id from p)
), watching as (
  select w.tenant_id from watchlist_item w join m on w.match_id = m.id
  union select w.tenant_id from watchlist_item w join m on w.team_id in (m.home_team_id, m.away_team_id)
  union select w.tenant_id from watchlist_item w join m on w.competition_id = m.competition_id
), rules as (
  select r.* from alert_rule r join m on r.match_id = m.id
  union all select r.* from alert_rule r join m on r.team_id in (m.home_team_id, m.away_team_id)
  union all select r.* from alert_rule r join m on r.competition_id = m.competition_id
  union all select r.* from alert_rule r join watching w on w.tenant_id = r.tenant_id
   where r.scope = '${AlertScope.WATCHLIST}'
)
select ${RULE_COLUMNS_OF_R},
       p.match_id as predicted_match_id, p.home_win, p.draw, p.away_win,
       prev.home_win as prev_home_win, prev.draw as prev_draw, prev.away_win as prev_away_win
  from rules r
 cross join p
  left join lateral (
    select q.home_win, q.draw, q.away_win from ${PRIOR} q
     where q.match_id = p.match_id and q.tenant_id is null
       and ((r.model_name is null and q.model_name <> '${MARKET_INFORMED.name}') or q.model_name = r.model_name)
       and (q.created_at, q.id) < (p.created_at, p.id)
     order by q.created_at desc, q.id desc limit 1
  ) prev on r.kind <> '${AlertKind.EDGE_OVER_BEST_PRICE}'
 where r.enabled and ((r.model_name is null and p.model_name <> '${MARKET_INFORMED.name}') or r.model_name = p.model_name)`;
const CANDIDATES_SQL = candidatesSql('prediction');
/** With the predictions a refresh replaced (second parameter, JSON): still there as far as a crossing goes. */
const CANDIDATES_WITH_REPLACED_SQL = candidatesSql(`(
    select id, match_id, tenant_id, model_name, home_win, draw, away_win, created_at from prediction
    union all
    select r.id, (select match_id from p), null::int, r.model_name, r.home_win, r.draw, r.away_win, r.created_at
      from jsonb_to_recordset(?::jsonb)
           as r(id int, model_name text, home_win float8, draw float8, away_win float8, created_at timestamptz))`);

interface CandidateRow extends AlertRuleRow {
  /** The prediction's match (the rule's own match_id is null unless its scope is MATCH). */
  predicted_match_id: number;
  home_win: number;
  draw: number;
  away_win: number;
  prev_home_win: number | null;
  prev_draw: number | null;
  prev_away_win: number | null;
}

/**
 * The match's current ONE_X_TWO prices per bookmaker (the newest ingested, else the imported closing row), read only
 * when an EDGE_OVER_BEST_PRICE rule is among the candidates: most events have none.
 */
const BOOKS_SQL = `
select distinct on (bookmaker) bookmaker, prices from odds
 where match_id = ? and market = 'ONE_X_TWO' and jsonb_array_length(prices) = 3
 order by bookmaker, taken_at desc nulls last, closing desc, id desc`;

/**
 * The alerts of one prediction, stored unless already stored for the same (rule, prediction): of
 * several processes evaluating one prediction, only the one whose row is inserted publishes it.
 * A rule deleted meanwhile is skipped.
 */
const INSERT_SQL = `
insert into alert_event (tenant_id, rule_id, match_id, prediction_id, kind, threshold, "values", fired_at)
select r.tenant_id, r.id, x.match_id, x.prediction_id, x.kind, x.threshold, x."values", now()
  from jsonb_to_recordset(?::jsonb)
       as x(rule_id int, match_id int, prediction_id int, kind text, threshold double precision, "values" jsonb)
  join alert_rule r on r.id = x.rule_id
    on conflict (rule_id, prediction_id) do nothing
returning ${ALERT_EVENT_COLUMNS}`;

/** Evaluations running at once per process; the others wait in order. */
const MAX_CONCURRENT_EVALUATIONS = 2;

export interface AlertEvaluatorDeps {
  orm: Orm;
  pubSub: AppPubSub;
  logger: Logger;
}

/**
 * Evaluates every tenant's alert rules on a new prediction, in the process that stored it, after
 * the write committed and off the request's path: errors are logged, never thrown to the writer.
 */
export class AlertEvaluator {
  private readonly pending = new Set<Promise<void>>();
  private readonly queue: PredictionUpdatedPayload[] = [];
  private running = 0;

  constructor(private readonly deps: AlertEvaluatorDeps) {}

  /**
   * Queues the evaluation of a published prediction and returns at once. At most
   * `MAX_CONCURRENT_EVALUATIONS` run at a time, so a burst of events cannot take the database
   * connections requests need.
   */
  schedule(payload: PredictionUpdatedPayload): void {
    this.queue.push(payload);
    this.drain();
  }

  private drain(): void {
    while (this.running < MAX_CONCURRENT_EVALUATIONS && this.queue.length > 0) {
      const payload = this.queue.shift()!;
      this.running++;
      // After the current tick: the writer's answer goes out first.
      const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.evaluate(payload))
        .then(
          () => undefined,
          (error: unknown) => {
            this.deps.logger.error(
              { err: error, predictionId: payload.predictionId, matchId: payload.matchId },
              'alert evaluation failed',
            );
          },
        )
        .finally(() => {
          this.pending.delete(run);
          this.running--;
          this.drain();
        });
      this.pending.add(run);
    }
  }

  /** Resolves once every queued evaluation has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.queue.length > 0) await Promise.all([...this.pending]);
  }

  /**
   * Evaluates the rules on one stored prediction, stores what fires and publishes each new alert to
   * its tenant. Returns the alerts this call stored (none for a prediction evaluated before).
   */
  async evaluate(payload: PredictionUpdatedPayload): Promise<AlertEventRow[]> {
    const em = this.deps.orm.em.fork() as EntityManager;
    const candidates = payload.replaced?.length
      ? await selectRows<CandidateRow>(em, CANDIDATES_WITH_REPLACED_SQL, [
          payload.predictionId,
          JSON.stringify(payload.replaced),
        ])
      : await selectRows<CandidateRow>(em, CANDIDATES_SQL, [payload.predictionId]);
    if (candidates.length === 0) return [];
    const books = candidates.some((row) => row.kind === AlertKind.EDGE_OVER_BEST_PRICE)
      ? await selectRows<BookPrices>(em, BOOKS_SQL, [candidates[0]!.predicted_match_id])
      : [];
    const fired: { rule: CandidateRow; values: AlertValues }[] = [];
    for (const row of candidates) {
      const values = firedValues(row, probabilitiesOf(row), previousOf(row), books);
      if (values) fired.push({ rule: row, values });
    }
    if (fired.length === 0) return [];
    const stored = await selectRows<AlertEventRow>(em, INSERT_SQL, [
      JSON.stringify(
        fired.map(({ rule, values }) => ({
          rule_id: rule.id,
          match_id: rule.predicted_match_id,
          prediction_id: payload.predictionId,
          kind: rule.kind,
          threshold: rule.threshold,
          values,
        })),
      ),
    ]);
    const rules = new Map(fired.map(({ rule }) => [rule.id, rule]));
    for (const alert of stored) {
      const rule = ruleSnapshot(rules.get(alert.rule_id!)!);
      const published: AlertTriggeredPayload = { alert, rule, prediction: payload.prediction, match: payload.match };
      this.deps.pubSub.publish(Topic.ALERT_TRIGGERED, alert.tenant_id, published);
    }
    return stored;
  }
}

function probabilitiesOf(row: CandidateRow): Probabilities {
  return { homeWin: row.home_win, draw: row.draw, awayWin: row.away_win };
}

function previousOf(row: CandidateRow): Probabilities | null {
  if (row.prev_home_win === null || row.prev_draw === null || row.prev_away_win === null) return null;
  return { homeWin: row.prev_home_win, draw: row.prev_draw, awayWin: row.prev_away_win };
}

// The rule's own columns only: the candidate row also carries the prediction's.
function ruleSnapshot(row: AlertRuleRow): AlertRuleRow {
  const { id, tenant_id, name, kind, threshold, scope, match_id, team_id, competition_id } = row;
  const { model_name, enabled, created_at, updated_at } = row;
  return {
    id,
    tenant_id,
    name,
    kind,
    threshold,
    scope,
    match_id,
    team_id,
    competition_id,
    model_name,
    enabled,
    created_at,
    updated_at,
  };
}

const evaluators = new WeakMap<AppDependencies, { evaluator: AlertEvaluator; pubSub: AppPubSub }>();

function evaluatorEntry(deps: AppDependencies) {
  let entry = evaluators.get(deps);
  if (!entry) {
    const evaluator = new AlertEvaluator({ orm: deps.orm, pubSub: deps.pubSub, logger: deps.logger });
    entry = { evaluator, pubSub: evaluatingOnPublish(deps.pubSub, evaluator) };
    evaluators.set(deps, entry);
  }
  return entry;
}

/** The app's alert evaluator (one per app: its queue is the app's). */
export function alertEvaluatorOf(deps: AppDependencies): AlertEvaluator {
  return evaluatorEntry(deps).evaluator;
}

/**
 * The app's pub/sub for writers of predictions: each prediction published on PREDICTION_UPDATED
 * through it is also evaluated against the alert rules, here, once (other instances receiving the
 * event through Redis do not evaluate it).
 */
export function publishingWithAlerts(deps: AppDependencies): AppPubSub {
  return evaluatorEntry(deps).pubSub;
}

function evaluatingOnPublish(pubSub: AppPubSub, evaluator: AlertEvaluator): AppPubSub {
  const publish = ((topic: string, ...args: unknown[]) => {
    const send = pubSub.publish as (topic: string, ...rest: unknown[]) => void;
    if (topic !== Topic.PREDICTION_UPDATED) return send(topic, ...args);
    // What a refresh replaced is for the evaluation here, not for subscribers or other instances.
    const { replaced: _replaced, ...published } = args[1] as PredictionUpdatedPayload;
    send(topic, args[0], published);
    evaluator.schedule(args[1] as PredictionUpdatedPayload);
  }) as AppPubSub['publish'];
  return { ...pubSub, publish };
}
