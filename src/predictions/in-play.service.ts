import type { Match } from '../matches/match.entity';
import { MatchEventType, MatchStatus } from '../matches/match.enums';
import { SENDING_OFF } from '../matches/match-state';
import { carryCalibration } from './calibrate-grid';
import { MODEL_SETTINGS } from './engine/config';
import { MARKET_INFORMED } from './market-informed';
import { marketsFromGrid } from './markets';
import { expectedGoals, inPlayPrediction, outcome1x2, scoreGrid, type PreMatchRates } from './models';
import type { Prediction } from './prediction.entity';
import { predictionFromRow } from './prediction.views';

/** Name and version stored with in-play predictions (see versions.lock.json). */
export const IN_PLAY_MODEL = { name: 'in-play', version: '1.3.1' } as const;

/**
 * Goal rates used when a match has no pre-match prediction yet: roughly the Premier League's
 * average goals per game at home and away over the last decade.
 */
export const FALLBACK_RATES = { homeRate: 1.55, awayRate: 1.25, rho: 0 } as const;

/** The goal-time profile and the stoppage time expected at the end of a match (see MODEL_SETTINGS.inPlay). */
const { expectedStoppage: EXPECTED_STOPPAGE, firstHalfShare: FIRST_HALF_SHARE } = MODEL_SETTINGS.inPlay;

/** An ADDED_TIME event from this minute on announces the second half's stoppage. */
const SECOND_HALF_ADDED_TIME_FROM = 60;

const SENDING_OFF_TYPES = [...SENDING_OFF].map((type) => `'${type}'`).join(', ');

const IN_PLAY_STATUSES = new Set([MatchStatus.LIVE, MatchStatus.HALF_TIME, MatchStatus.FINISHED]);

/** What the in-play model needs besides the match: its latest pre-match grid and the red cards so far. */
export interface InPlayInputsRow {
  grid_home_rate: number | null;
  grid_away_rate: number | null;
  grid_rho: number | null;
  home_win: number | null;
  draw: number | null;
  away_win: number | null;
  home_red_cards: number;
  away_red_cards: number;
  /** Stoppage minutes announced for the second half (the latest ADDED_TIME from minute 60 on), if any. */
  announced_added_minutes: number | null;
}

/**
 * Columns and joins that read the in-play inputs beside the match row aliased `m`, so the
 * statement that locks the match reads them too (on the ingest path a round trip costs more
 * than the query).
 */
export const IN_PLAY_INPUTS = {
  columns:
    'pre.grid_home_rate, pre.grid_away_rate, pre.grid_rho, pre.home_win, pre.draw, pre.away_win, ' +
    'reds.home_red_cards, reds.away_red_cards, reds.announced_added_minutes',
  joins: `
    cross join lateral (
      select (count(*) filter (where e.team_id = m.home_team_id and e.type in (${SENDING_OFF_TYPES})))::int as home_red_cards,
             (count(*) filter (where e.team_id = m.away_team_id and e.type in (${SENDING_OFF_TYPES})))::int as away_red_cards,
             (array_agg(e.added_minutes order by e.id desc) filter (where e.type = '${MatchEventType.ADDED_TIME}' and e.minute >= ${SECOND_HALF_ADDED_TIME_FROM}))[1] as announced_added_minutes
        from match_event e where e.match_id = m.id and e.cancelled_at is null
           and e.type in (${SENDING_OFF_TYPES}, '${MatchEventType.ADDED_TIME}')) reds
    left join lateral (
      select p.grid_home_rate, p.grid_away_rate, p.grid_rho, p.home_win, p.draw, p.away_win
        from prediction p
       where p.match_id = m.id and p.in_play_minute is null and p.grid_home_rate is not null and p.tenant_id is null
         and p.model_name <> '${MARKET_INFORMED.name}'
       order by p.created_at desc, p.id desc
       limit 1) pre on true`,
};

/** The event being recorded, whose sending-off or added time the inputs read before it do not count yet. */
export interface InPlayEvent {
  type: MatchEventType;
  side: 'home' | 'away' | null;
  addedMinutes?: number | null;
}

/**
 * The inputs as IN_PLAY_INPUTS would read them once `event` is stored: what the next event of
 * the same match sees when several are applied under one lock.
 */
export function inPlayInputsAfter(inputs: InPlayInputsRow, event: InPlayEvent & { minute: number }): InPlayInputsRow {
  const sentOff = (side: 'home' | 'away') => (SENDING_OFF.has(event.type) && event.side === side ? 1 : 0);
  const announces = event.type === MatchEventType.ADDED_TIME && event.minute >= SECOND_HALF_ADDED_TIME_FROM;
  return {
    ...inputs,
    home_red_cards: inputs.home_red_cards + sentOff('home'),
    away_red_cards: inputs.away_red_cards + sentOff('away'),
    announced_added_minutes: announces ? (event.addedMinutes ?? null) : inputs.announced_added_minutes,
  };
}

/** Column values of a new in-play prediction row. */
export type InPlayPredictionValues = ReturnType<typeof inPlayPredictionValues>;

/**
 * The in-play prediction for the match's current score, minute and red cards (after `event`, if
 * the inputs were read before it), or
 * null before kick-off. It starts from the score grid of the latest pre-match prediction (rates
 * and rho) and carries that prediction's 1X2 adjustment in proportion to the time left, so at
 * kick-off it equals the pre-match prediction and at full time it is certain.
 */
export function newInPlayPrediction(match: Match, inputs: InPlayInputsRow, event: InPlayEvent | null) {
  if (!IN_PLAY_STATUSES.has(match.status)) return null;
  return inPlayPredictionValues(match, inputs, event);
}

function inPlayPredictionValues(match: Match, inputs: InPlayInputsRow, event: InPlayEvent | null) {
  const preMatch = inputs.grid_home_rate != null ? inputs : null;
  const rates: PreMatchRates = preMatch
    ? { homeRate: preMatch.grid_home_rate!, awayRate: preMatch.grid_away_rate!, rho: preMatch.grid_rho ?? 0 }
    : FALLBACK_RATES;
  const redCard = (side: 'home' | 'away') => (event && SENDING_OFF.has(event.type) && event.side === side ? 1 : 0);
  const minute = match.minute ?? 0;
  const announced =
    event?.type === MatchEventType.ADDED_TIME && minute >= SECOND_HALF_ADDED_TIME_FROM
      ? (event.addedMinutes ?? null)
      : inputs.announced_added_minutes;
  const finished = match.status === MatchStatus.FINISHED;
  const forecast = inPlayPrediction(
    rates,
    {
      minute,
      homeGoals: match.homeGoals ?? 0,
      awayGoals: match.awayGoals ?? 0,
      homeRedCards: inputs.home_red_cards + redCard('home'),
      awayRedCards: inputs.away_red_cards + redCard('away'),
      finished,
    },
    // Until the final whistle, a few minutes are always left (long stoppage time happens); the
    // fourth official's board, once shown, says how many.
    {
      firstHalfShare: FIRST_HALF_SHARE,
      expectedStoppage: finished
        ? EXPECTED_STOPPAGE
        : announced !== null
          ? Math.max(announced, minute - 90 + 1)
          : Math.max(EXPECTED_STOPPAGE, minute - 90 + 3),
    },
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
  return {
    match_id: match.id,
    model_name: IN_PLAY_MODEL.name,
    model_version: IN_PLAY_MODEL.version,
    home_win: probabilities.home / total,
    draw: probabilities.draw / total,
    away_win: probabilities.away / total,
    expected_home_goals: goals.home,
    expected_away_goals: goals.away,
    in_play_minute: Math.min(150, minute),
    markets: marketsFromGrid(grid),
    created_at: new Date(),
  };
}

/** An insert of the prediction for each row of `source` (a CTE of the same statement), returning its id. */
export function inPlayPredictionInsertFrom(
  source: string,
  values: InPlayPredictionValues,
): { sql: string; params: unknown[] } {
  const row = { ...values, markets: JSON.stringify(values.markets) };
  const columns = Object.keys(row) as (keyof typeof row)[];
  // A select list gives its parameters no column types: each is cast as the column it fills.
  const casts: Record<keyof typeof row, string> = {
    match_id: 'int',
    model_name: 'text',
    model_version: 'text',
    home_win: 'float8',
    draw: 'float8',
    away_win: 'float8',
    expected_home_goals: 'float8',
    expected_away_goals: 'float8',
    in_play_minute: 'int',
    markets: 'jsonb',
    created_at: 'timestamptz',
  };
  return {
    sql:
      `insert into prediction (${columns.join(', ')}) ` +
      `select ${columns.map((column) => `?::${casts[column]}`).join(', ')} from ${source} returning id`,
    params: columns.map((column) => row[column]),
  };
}

export function storedInPlayPrediction(values: InPlayPredictionValues, id: number): Prediction {
  return predictionFromRow({
    ...values,
    id,
    grid_home_rate: null,
    grid_away_rate: null,
    grid_rho: null,
    created_at: values.created_at.toISOString(),
  });
}
