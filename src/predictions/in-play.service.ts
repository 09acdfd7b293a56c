import type { EntityManager } from '@mikro-orm/postgresql';
import { MatchEvent } from '../matches/match-event.entity';
import type { Match } from '../matches/match.entity';
import { MatchEventType, MatchStatus } from '../matches/match.enums';
import { marketsFromGrid } from './markets';
import { expectedGoals, inPlayPrediction } from './models';
import { Prediction } from './prediction.entity';

/** Name and version stored with in-play predictions; bump the version when the model changes. */
export const IN_PLAY_MODEL = { name: 'in-play', version: '1' } as const;

/**
 * Goal rates used when a match has no pre-match prediction yet: roughly the Premier League's
 * average goals per game at home and away over the last decade.
 */
export const FALLBACK_RATES = { homeRate: 1.55, awayRate: 1.25 } as const;

const IN_PLAY_STATUSES = new Set([MatchStatus.LIVE, MatchStatus.HALF_TIME, MatchStatus.FINISHED]);

/**
 * Adds an in-play prediction for the match's current score, minute and red cards to the unit
 * of work, starting from its latest pre-match prediction. Returns null before kick-off.
 */
export async function addInPlayPrediction(em: EntityManager, match: Match): Promise<Prediction | null> {
  if (!IN_PLAY_STATUSES.has(match.status)) return null;
  const preMatch = await em.findOne(
    Prediction,
    { match, inPlayMinute: null },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  const redCards = await em.find(MatchEvent, { match, type: MatchEventType.RED_CARD });
  const rates = preMatch
    ? { homeRate: preMatch.expectedHomeGoals, awayRate: preMatch.expectedAwayGoals }
    : FALLBACK_RATES;
  const forecast = inPlayPrediction(rates, {
    minute: match.minute ?? 0,
    homeGoals: match.homeGoals ?? 0,
    awayGoals: match.awayGoals ?? 0,
    homeRedCards: redCards.filter((e) => e.team?.id === match.homeTeam.id).length,
    awayRedCards: redCards.filter((e) => e.team?.id === match.awayTeam.id).length,
    finished: match.status === MatchStatus.FINISHED,
  });
  const { home, draw, away } = forecast.probabilities;
  const total = home + draw + away;
  const goals = expectedGoals(forecast.finalGrid);
  return em.create(Prediction, {
    match,
    modelName: IN_PLAY_MODEL.name,
    modelVersion: IN_PLAY_MODEL.version,
    homeWin: home / total,
    draw: draw / total,
    awayWin: away / total,
    expectedHomeGoals: goals.home,
    expectedAwayGoals: goals.away,
    inPlayMinute: Math.min(150, match.minute ?? 0),
    markets: marketsFromGrid(forecast.finalGrid),
  });
}
