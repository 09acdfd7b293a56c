import type { EntityManager } from '@mikro-orm/postgresql';
import {
  calibrationReport,
  summariseForecasts,
  type Outcome1x2,
  type ReliabilityBin,
  type ScoredForecast,
} from '../predictions/models';

export interface ModelMetricsQuery {
  model: string;
  competition: string;
  season?: string;
  modelVersion?: string;
}

export interface CalibrationBinRow extends ReliabilityBin {
  outcome: Outcome1x2;
}

export interface ModelMetricsResult {
  sampleSize: number;
  rps: number | null;
  brier: number | null;
  logLoss: number | null;
  accuracy: number | null;
  ece: number | null;
  calibration: CalibrationBinRow[];
}

interface ScoredRow {
  home_goals: number;
  away_goals: number;
  home_win: number;
  draw: number;
  away_win: number;
}

/**
 * Scores a model's stored forecasts on finished matches: for each match, the model's last
 * pre-match prediction made before kick-off (later ones would know the result).
 */
export async function modelMetrics(em: EntityManager, query: ModelMetricsQuery): Promise<ModelMetricsResult> {
  const rows: ScoredRow[] = await em.getConnection().execute(
    `select distinct on (m.id) m.home_goals, m.away_goals, p.home_win, p.draw, p.away_win
       from match m
       join season s on s.id = m.season_id
       join competition c on c.id = s.competition_id
       join prediction p on p.match_id = m.id and p.model_name = ? and p.in_play_minute is null and p.tenant_id is null
                        and p.created_at <= m.kickoff and (?::text is null or p.model_version = ?)
      where c.code = ? and (?::text is null or s.label = ?) and m.status = 'FINISHED'
        and m.home_goals is not null and m.away_goals is not null
      order by m.id, p.created_at desc, p.id desc`,
    [
      query.model,
      query.modelVersion ?? null,
      query.modelVersion ?? null,
      query.competition,
      query.season ?? null,
      query.season ?? null,
    ],
  );
  if (rows.length === 0) {
    return { sampleSize: 0, rps: null, brier: null, logLoss: null, accuracy: null, ece: null, calibration: [] };
  }
  const forecasts: ScoredForecast[] = rows.map((r) => ({
    probabilities: { home: r.home_win, draw: r.draw, away: r.away_win },
    outcome: r.home_goals > r.away_goals ? 'home' : r.home_goals < r.away_goals ? 'away' : 'draw',
  }));
  const summary = summariseForecasts(forecasts);
  const calibration = calibrationReport(forecasts);
  return {
    sampleSize: summary.count,
    rps: summary.rps,
    brier: summary.brier,
    logLoss: summary.logLoss,
    accuracy: summary.accuracy,
    ece: calibration.ece,
    calibration: [calibration.home, calibration.draw, calibration.away].flatMap((curve) =>
      curve.bins.map((bin) => ({ ...bin, outcome: curve.outcome })),
    ),
  };
}
