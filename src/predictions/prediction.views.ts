import { idRef, readViewFactory } from '../db/read-view';
import { timestampOf } from '../db/select';
import type { PredictionMarkets } from './markets';
import { Prediction } from './prediction.entity';

export const PREDICTION_COLUMNS =
  'id, match_id, model_name, model_version, home_win, draw, away_win, expected_home_goals, ' +
  'expected_away_goals, in_play_minute, grid_home_rate, grid_away_rate, grid_rho, markets, created_at';

export interface PredictionRow {
  id: number;
  match_id: number;
  model_name: string;
  model_version: string;
  home_win: number;
  draw: number;
  away_win: number;
  expected_home_goals: number;
  expected_away_goals: number;
  in_play_minute: number | null;
  grid_home_rate: number | null;
  grid_away_rate: number | null;
  grid_rho: number | null;
  markets: PredictionMarkets | null;
  created_at: string;
}

const predictionView = readViewFactory(Prediction);

export function predictionFromRow(row: PredictionRow): Prediction {
  return predictionView({
    id: row.id,
    match: idRef(row.match_id),
    modelName: row.model_name,
    modelVersion: row.model_version,
    homeWin: row.home_win,
    draw: row.draw,
    awayWin: row.away_win,
    expectedHomeGoals: row.expected_home_goals,
    expectedAwayGoals: row.expected_away_goals,
    inPlayMinute: row.in_play_minute,
    gridHomeRate: row.grid_home_rate,
    gridAwayRate: row.grid_away_rate,
    gridRho: row.grid_rho,
    markets: row.markets,
    createdAt: timestampOf(row.created_at),
  });
}
