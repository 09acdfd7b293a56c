import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows } from '../db/select';
import type { Match } from '../matches/match.entity';
import { MatchEventType, MatchStatus } from '../matches/match.enums';
import { carryCalibration } from './calibrate-grid';
import { marketsFromGrid } from './markets';
import { expectedGoals, inPlayPrediction, outcome1x2, scoreGrid, type PreMatchRates } from './models';
import type { Prediction } from './prediction.entity';
import { predictionFromRow } from './prediction.views';

/** Name and version stored with in-play predictions (see versions.lock.json). */
export const IN_PLAY_MODEL = { name: 'in-play', version: '1.1.1' } as const;

/**
 * Goal rates used when a match has no pre-match prediction yet: roughly the Premier League's
 * average goals per game at home and away over the last decade.
 */
export const FALLBACK_RATES = { homeRate: 1.55, awayRate: 1.25, rho: 0 } as const;

/** Minutes of stoppage time expected at the end of a match. */
const EXPECTED_STOPPAGE = 8;

const IN_PLAY_STATUSES = new Set([MatchStatus.LIVE, MatchStatus.HALF_TIME, MatchStatus.FINISHED]);

/**
 * Stores an in-play prediction for the match's current score, minute and red cards, in the
 * transaction of `em`. It starts from the score grid of the latest pre-match prediction (rates and
 * rho) and carries that prediction's 1X2 adjustment in proportion to the time left, so at kick-off
 * it equals the pre-match prediction and at full time it is certain. Returns null before kick-off.
 */
export async function addInPlayPrediction(em: EntityManager, match: Match): Promise<Prediction | null> {
  if (!IN_PLAY_STATUSES.has(match.status)) return null;
  // Plain rows, one statement: on the ingest path an entity read costs several times the query.
  const [inputs] = await selectRows<InPlayInputsRow>(em, IN_PLAY_INPUTS_SQL, [
    match.homeTeam.id,
    match.awayTeam.id,
    match.id,
    MatchEventType.RED_CARD,
    match.id,
  ]);
  const preMatch = inputs?.grid_home_rate != null ? inputs : null;
  const rates: PreMatchRates = preMatch
    ? { homeRate: preMatch.grid_home_rate!, awayRate: preMatch.grid_away_rate!, rho: preMatch.grid_rho ?? 0 }
    : FALLBACK_RATES;
  const minute = match.minute ?? 0;
  const finished = match.status === MatchStatus.FINISHED;
  const forecast = inPlayPrediction(
    rates,
    {
      minute,
      homeGoals: match.homeGoals ?? 0,
      awayGoals: match.awayGoals ?? 0,
      homeRedCards: inputs?.home_red_cards ?? 0,
      awayRedCards: inputs?.away_red_cards ?? 0,
      finished,
    },
    // Until the final whistle, a few minutes are always left (long stoppage time happens).
    { expectedStoppage: finished ? EXPECTED_STOPPAGE : Math.max(EXPECTED_STOPPAGE, minute - 90 + 3) },
  );
  const grid = preMatch
    ? carryCalibration(
        forecast.finalGrid,
        outcome1x2(scoreGrid(rates.homeRate, rates.awayRate, { rho: rates.rho })),
        { home: preMatch.home_win!, draw: preMatch.draw!, away: preMatch.away_win! },
        forecast.remainingFraction,
      )
    : forecast.finalGrid;
  const probabilities = outcome1x2(grid);
  const total = probabilities.home + probabilities.draw + probabilities.away;
  const goals = expectedGoals(grid);
  const markets = marketsFromGrid(grid);
  const values = {
    match_id: match.id,
    model_name: IN_PLAY_MODEL.name,
    model_version: IN_PLAY_MODEL.version,
    home_win: probabilities.home / total,
    draw: probabilities.draw / total,
    away_win: probabilities.away / total,
    expected_home_goals: goals.home,
    expected_away_goals: goals.away,
    in_play_minute: Math.min(150, minute),
    markets: JSON.stringify(markets),
    created_at: new Date(),
  };
  const columns = Object.keys(values);
  const [stored] = await selectRows<{ id: number }>(
    em,
    `insert into prediction (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) returning id`,
    Object.values(values),
  );
  return predictionFromRow({
    ...values,
    id: stored!.id,
    grid_home_rate: null,
    grid_away_rate: null,
    grid_rho: null,
    markets,
    created_at: values.created_at.toISOString(),
  });
}

interface InPlayInputsRow {
  grid_home_rate: number | null;
  grid_away_rate: number | null;
  grid_rho: number | null;
  home_win: number | null;
  draw: number | null;
  away_win: number | null;
  home_red_cards: number;
  away_red_cards: number;
}

// The latest pre-match prediction with a score grid (if any) and the red cards so far.
const IN_PLAY_INPUTS_SQL = `
  select p.grid_home_rate, p.grid_away_rate, p.grid_rho, p.home_win, p.draw, p.away_win,
         r.home_red_cards, r.away_red_cards
    from (select (count(*) filter (where team_id = ?))::int as home_red_cards,
                 (count(*) filter (where team_id = ?))::int as away_red_cards
            from match_event where match_id = ? and type = ?) r
    left join lateral (
      select grid_home_rate, grid_away_rate, grid_rho, home_win, draw, away_win
        from prediction
       where match_id = ? and in_play_minute is null and grid_home_rate is not null
       order by created_at desc, id desc
       limit 1) p on true`;
