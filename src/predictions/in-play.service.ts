import type { EntityManager } from '@mikro-orm/postgresql';
import { MatchEvent } from '../matches/match-event.entity';
import type { Match } from '../matches/match.entity';
import { MatchEventType, MatchStatus } from '../matches/match.enums';
import { carryCalibration } from './calibrate-grid';
import { marketsFromGrid } from './markets';
import { expectedGoals, inPlayPrediction, outcome1x2, scoreGrid, type PreMatchRates } from './models';
import { Prediction } from './prediction.entity';

/** Name and version stored with in-play predictions (see versions.lock.json). */
export const IN_PLAY_MODEL = { name: 'in-play', version: '1.1.0' } as const;

/**
 * Goal rates used when a match has no pre-match prediction yet: roughly the Premier League's
 * average goals per game at home and away over the last decade.
 */
export const FALLBACK_RATES = { homeRate: 1.55, awayRate: 1.25, rho: 0 } as const;

/** Minutes of stoppage time expected at the end of a match. */
const EXPECTED_STOPPAGE = 8;

const IN_PLAY_STATUSES = new Set([MatchStatus.LIVE, MatchStatus.HALF_TIME, MatchStatus.FINISHED]);

/**
 * Adds an in-play prediction for the match's current score, minute and red cards to the unit of
 * work. It starts from the score grid of the latest pre-match prediction (rates and rho) and
 * carries that prediction's 1X2 adjustment in proportion to the time left, so at kick-off it
 * equals the pre-match prediction and at full time it is certain. Returns null before kick-off.
 */
export async function addInPlayPrediction(em: EntityManager, match: Match): Promise<Prediction | null> {
  if (!IN_PLAY_STATUSES.has(match.status)) return null;
  const preMatch = await em.findOne(
    Prediction,
    { match, inPlayMinute: null, gridHomeRate: { $ne: null } },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  const redCards = await em.find(MatchEvent, { match, type: MatchEventType.RED_CARD });
  const rates: PreMatchRates = preMatch
    ? { homeRate: preMatch.gridHomeRate!, awayRate: preMatch.gridAwayRate!, rho: preMatch.gridRho ?? 0 }
    : FALLBACK_RATES;
  const minute = match.minute ?? 0;
  const finished = match.status === MatchStatus.FINISHED;
  const forecast = inPlayPrediction(
    rates,
    {
      minute,
      homeGoals: match.homeGoals ?? 0,
      awayGoals: match.awayGoals ?? 0,
      homeRedCards: redCards.filter((e) => e.team?.id === match.homeTeam.id).length,
      awayRedCards: redCards.filter((e) => e.team?.id === match.awayTeam.id).length,
      finished,
    },
    // Until the final whistle, a few minutes are always left (long stoppage time happens).
    { expectedStoppage: finished ? EXPECTED_STOPPAGE : Math.max(EXPECTED_STOPPAGE, minute - 90 + 3) },
  );
  const grid = preMatch
    ? carryCalibration(
        forecast.finalGrid,
        outcome1x2(scoreGrid(rates.homeRate, rates.awayRate, { rho: rates.rho })),
        { home: preMatch.homeWin, draw: preMatch.draw, away: preMatch.awayWin },
        forecast.remainingFraction,
      )
    : forecast.finalGrid;
  const probabilities = outcome1x2(grid);
  const total = probabilities.home + probabilities.draw + probabilities.away;
  const goals = expectedGoals(grid);
  return em.create(Prediction, {
    match,
    modelName: IN_PLAY_MODEL.name,
    modelVersion: IN_PLAY_MODEL.version,
    homeWin: probabilities.home / total,
    draw: probabilities.draw / total,
    awayWin: probabilities.away / total,
    expectedHomeGoals: goals.home,
    expectedAwayGoals: goals.away,
    inPlayMinute: Math.min(150, minute),
    markets: marketsFromGrid(grid),
  });
}
