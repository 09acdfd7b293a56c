import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows } from '../db/select';
import { calibrateGridTo1x2 } from '../predictions/calibrate-grid';
import { MODEL_SETTINGS, type ModelName } from '../predictions/engine';
import { loadHistory } from '../predictions/history';
import { marketsFromGrid, type PredictionMarkets } from '../predictions/markets';
import { Prediction } from '../predictions/prediction.entity';
import type { PredictionGridRow } from '../predictions/prediction.views';
import { combine, expectedGoals, fitDixonColes, scoreGrid, type Probabilities1x2 } from '../predictions/models';

const DAY_MS = 86_400_000;

/** What a custom model's forecasts depend on. */
export interface CustomModelSpec {
  id: number;
  tenantId: number;
  name: string;
  baseModels: readonly string[];
  weights: readonly number[];
  timeDecayHalfLifeDays: number | null;
  revision: number;
}

/** The platform's newest pre-match forecasts of one upcoming match, by base model. */
interface UpcomingMatch {
  matchId: number;
  competition: string;
  home: string;
  away: string;
  byModel: Map<string, Probabilities1x2>;
  /** The score grid's rates, from the platform's newest pre-match prediction. */
  grid: { homeRate: number; awayRate: number; rho: number };
}

interface BaseRow extends PredictionGridRow {
  match_id: number;
  competition: string;
  home: string;
  away: string;
  model_name: string;
}

/**
 * Stores the custom models' predictions for every upcoming match the platform has pre-match
 * predictions for (of one competition, or all), replacing those the same models stored before.
 * Runs inside the caller's transaction. Returns how many predictions were stored.
 */
export async function storeCustomForecasts(
  em: EntityManager,
  models: readonly CustomModelSpec[],
  now: Date,
  competition?: string,
): Promise<number> {
  if (models.length === 0) return 0;
  const upcoming = await upcomingMatches(em, now, competition);
  if (upcoming.length === 0) return 0;
  // Earlier forecasts of the same matches go; those of matches played since stay (they are scored).
  await selectRows(
    em,
    'delete from prediction where custom_model_id in (?) and match_id in (?) and in_play_minute is null',
    [models.map((m) => m.id), upcoming.map((m) => m.matchId)],
  );
  const refits = await dixonColesRefits(em, models, upcoming, now);
  const rows = models.flatMap((model) =>
    upcoming.flatMap((match) => {
      const forecast = pooledForecast(model, match, refits.get(refitKey(model, match.competition)));
      return forecast ? [predictionRow(model, match, forecast, now)] : [];
    }),
  );
  await insertPredictions(em, rows);
  return rows.length;
}

/** The weighted pool of the model's base forecasts; null when the platform lacks one of them. */
export function pooledForecast(
  model: Pick<CustomModelSpec, 'baseModels' | 'weights'>,
  match: Pick<UpcomingMatch, 'home' | 'away' | 'byModel'>,
  refit?: (home: string, away: string) => Probabilities1x2,
): Probabilities1x2 | null {
  const forecasts = model.baseModels.map((name) =>
    name === 'dixon-coles' && refit ? refit(match.home, match.away) : match.byModel.get(name),
  );
  if (forecasts.some((f) => f === undefined)) return null;
  return combine(model.weights, forecasts as Probabilities1x2[]);
}

async function upcomingMatches(em: EntityManager, now: Date, competition?: string): Promise<UpcomingMatch[]> {
  // Each base model's newest platform pre-match prediction of each upcoming match.
  const rows = await selectRows<BaseRow>(
    em,
    `select distinct on (p.match_id, p.model_name)
            p.match_id, c.code as competition, h.name as home, a.name as away, p.model_name,
            p.home_win, p.draw, p.away_win, p.grid_home_rate, p.grid_away_rate, p.grid_rho
       from prediction p
       join match m on m.id = p.match_id
       join season s on s.id = m.season_id
       join competition c on c.id = s.competition_id
       join team h on h.id = m.home_team_id
       join team a on a.id = m.away_team_id
      where p.tenant_id is null and p.in_play_minute is null and p.grid_home_rate is not null
        and m.status = 'SCHEDULED' and m.kickoff > ? and (?::text is null or c.code = ?)
      order by p.match_id, p.model_name, p.created_at desc, p.id desc`,
    [now, competition ?? null, competition ?? null],
  );
  const byMatch = new Map<number, UpcomingMatch>();
  for (const row of rows) {
    let match = byMatch.get(row.match_id);
    if (!match) {
      match = {
        matchId: row.match_id,
        competition: row.competition,
        home: row.home,
        away: row.away,
        byModel: new Map(),
        grid: { homeRate: row.grid_home_rate, awayRate: row.grid_away_rate, rho: row.grid_rho },
      };
      byMatch.set(row.match_id, match);
    }
    match.byModel.set(row.model_name, { home: row.home_win, draw: row.draw, away: row.away_win });
  }
  return [...byMatch.values()];
}

const refitKey = (model: CustomModelSpec, competition: string) => `${model.id}:${competition}`;

/** Dixon-Coles fitted with each model's own time decay, per competition it has matches in. */
async function dixonColesRefits(
  em: EntityManager,
  models: readonly CustomModelSpec[],
  upcoming: readonly UpcomingMatch[],
  now: Date,
): Promise<Map<string, (home: string, away: string) => Probabilities1x2>> {
  const refits = new Map<string, (home: string, away: string) => Probabilities1x2>();
  const decaying = models.filter((m) => m.timeDecayHalfLifeDays !== null && m.baseModels.includes('dixon-coles'));
  if (decaying.length === 0) return refits;
  const history = await loadHistory(em, now);
  const competitions = [...new Set(upcoming.map((m) => m.competition))];
  for (const competition of competitions) {
    const results = history
      .filter((m) => m.competition === competition)
      .map((m) => ({
        date: m.date.getTime() / DAY_MS,
        home: m.home,
        away: m.away,
        homeGoals: m.homeGoals,
        awayGoals: m.awayGoals,
      }));
    if (results.length === 0) continue;
    for (const model of decaying) {
      const fitted = fitDixonColes(results, {
        asOf: now.getTime() / DAY_MS,
        xi: Math.LN2 / model.timeDecayHalfLifeDays!,
        optimizer: { gradientTolerance: MODEL_SETTINGS.fitTolerance },
      });
      refits.set(refitKey(model, competition), (home, away) => fitted.predict(home, away).probabilities);
    }
  }
  return refits;
}

interface PredictionInsert {
  matchId: number;
  tenantId: number;
  customModelId: number;
  modelName: string;
  modelVersion: string;
  forecast: Probabilities1x2;
  expectedGoals: { home: number; away: number };
  markets: PredictionMarkets;
  grid: UpcomingMatch['grid'];
  createdAt: Date;
}

function predictionRow(model: CustomModelSpec, match: UpcomingMatch, p: Probabilities1x2, now: Date): PredictionInsert {
  const total = p.home + p.draw + p.away;
  const forecast = { home: p.home / total, draw: p.draw / total, away: p.away / total };
  // Markets as the platform's rows have them: its score grid rescaled to this 1X2.
  const calibrated = calibrateGridTo1x2(
    scoreGrid(match.grid.homeRate, match.grid.awayRate, { rho: match.grid.rho }),
    forecast,
  );
  return {
    matchId: match.matchId,
    tenantId: model.tenantId,
    customModelId: model.id,
    modelName: `custom/${model.name}`,
    modelVersion: `r${model.revision}`,
    forecast,
    expectedGoals: expectedGoals(calibrated),
    markets: marketsFromGrid(calibrated),
    grid: match.grid,
    createdAt: now,
  };
}

// One statement for all rows, however many matches and models.
async function insertPredictions(em: EntityManager, rows: readonly PredictionInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await em.insertMany(
    Prediction,
    rows.map((r) => ({
      match: r.matchId,
      tenant: r.tenantId,
      customModel: r.customModelId,
      modelName: r.modelName,
      modelVersion: r.modelVersion,
      homeWin: r.forecast.home,
      draw: r.forecast.draw,
      awayWin: r.forecast.away,
      expectedHomeGoals: r.expectedGoals.home,
      expectedAwayGoals: r.expectedGoals.away,
      markets: r.markets,
      gridHomeRate: r.grid.homeRate,
      gridAwayRate: r.grid.awayRate,
      gridRho: r.grid.rho,
      createdAt: r.createdAt,
    })),
  );
}

/** Base models a custom model may pool. */
export type BaseModelName = ModelName | 'ensemble';
