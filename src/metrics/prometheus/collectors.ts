import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../../db/orm';
import type { Logger } from '../../logger';
import { IN_PLAY_MODEL } from '../../predictions/in-play.service';
import { registeredModels } from '../../predictions/model-registry';
import { summariseForecasts, type ScoredForecast } from '../../predictions/models';
import type { PoolUsage } from './app-metrics';
import type { ModelQuality } from './families';

/** Finished matches the live RPS of each model is computed on (the latest ones). */
export const LIVE_RPS_MATCHES = 100;
/** Only matches of the last days count: a model's quality now, not years ago. */
const LIVE_RPS_DAYS = 400;
/** The live RPS is read from the database at most this often (scrapes in between reuse it). */
const QUALITY_TTL_MS = 5 * 60_000;

interface KnexPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/** The knex (tarn) pool's counts, read when scraped: nothing is counted on the request path. */
export function poolUsageOf(orm: Orm): () => PoolUsage | null {
  return () => {
    const pool = (orm.em.getConnection().getKnex().client as { pool?: KnexPool }).pool;
    if (!pool) return null;
    return { inUse: pool.numUsed(), idle: pool.numFree(), waiting: pool.numPendingAcquires(), max: pool.max };
  };
}

interface ScoredRow {
  model_name: string;
  home_goals: number;
  away_goals: number;
  home_win: number;
  draw: number;
  away_win: number;
}

/**
 * Live against backtest RPS of every pre-match model, for the prediction-drift alert. The live
 * score is the one `modelMetrics` computes (each match's last pre-match prediction made before
 * kick-off), over the last `LIVE_RPS_MATCHES` finished matches of any competition; one statement
 * at most every five minutes, however often Prometheus scrapes.
 */
export function predictionQualityOf(orm: Orm, logger: Logger): () => Promise<ModelQuality[]> {
  const models = registeredModels().filter((model) => model.name !== IN_PLAY_MODEL.name);
  let cached: { at: number; value: Promise<ModelQuality[]> } | null = null;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > QUALITY_TTL_MS) {
      const previous = cached;
      const value = read(
        orm.em.fork() as EntityManager,
        models.map((m) => m.name),
      ).then(
        (scored) =>
          models.map((model) => {
            const forecasts = scored.get(model.name) ?? [];
            return {
              model: model.name,
              liveRps: forecasts.length ? summariseForecasts(forecasts).rps : null,
              liveMatches: forecasts.length,
              backtestRps: model.backtest?.rps ?? null,
            };
          }),
        async (error: unknown) => {
          logger.warn({ err: error }, 'could not read prediction quality for /metrics');
          // Keep what the last good read said; read again at the next scrape.
          cached = previous;
          return previous ? previous.value : [];
        },
      );
      cached = { at: now, value };
    }
    return cached.value;
  };
}

async function read(em: EntityManager, modelNames: string[]): Promise<Map<string, ScoredForecast[]>> {
  const rows = await em.getConnection().execute<ScoredRow[]>(
    `with last_pre_match as (
       select distinct on (p.model_name, m.id)
              p.model_name, m.id as match_id, m.kickoff, m.home_goals, m.away_goals, p.home_win, p.draw, p.away_win
         from match m
         join prediction p on p.match_id = m.id and p.in_play_minute is null and p.created_at <= m.kickoff
                          and p.model_name in (?)
        where m.status = 'FINISHED' and m.home_goals is not null and m.away_goals is not null
          and m.kickoff > now() - make_interval(days => ?)
        order by p.model_name, m.id, p.created_at desc, p.id desc
     ), ranked as (
       select *, row_number() over (partition by model_name order by kickoff desc, match_id desc) as rank
         from last_pre_match
     )
     select model_name, home_goals, away_goals, home_win, draw, away_win from ranked where rank <= ?`,
    [modelNames, LIVE_RPS_DAYS, LIVE_RPS_MATCHES],
  );
  const byModel = new Map<string, ScoredForecast[]>();
  for (const row of rows) {
    const forecasts = byModel.get(row.model_name) ?? [];
    forecasts.push({
      probabilities: { home: row.home_win, draw: row.draw, away: row.away_win },
      outcome: row.home_goals > row.away_goals ? 'home' : row.home_goals < row.away_goals ? 'away' : 'draw',
    });
    byModel.set(row.model_name, forecasts);
  }
  return byModel;
}
