import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { MatchEvent } from './match-event.entity';
import { Match } from './match.entity';
import { Odds } from './odds.entity';

export function createMatchLoaders(em: EntityManager) {
  return {
    matchById: uniqueLoader(
      (ids: readonly number[]) => em.find(Match, { id: { $in: [...ids] } }),
      (m) => m.id,
    ),
    eventById: uniqueLoader(
      (ids: readonly number[]) => em.find(MatchEvent, { id: { $in: [...ids] } }),
      (e) => e.id,
    ),
    oddsById: uniqueLoader(
      (ids: readonly number[]) => em.find(Odds, { id: { $in: [...ids] } }),
      (o) => o.id,
    ),
    eventsByMatchId: groupLoader(
      (ids: readonly number[]) =>
        em.find(MatchEvent, { match: { $in: [...ids] } }, { orderBy: { minute: 'asc', id: 'asc' } }),
      (e) => e.match.id,
    ),
    oddsByMatchId: groupLoader(
      (ids: readonly number[]) =>
        em.find(
          Odds,
          { match: { $in: [...ids] } },
          { orderBy: { bookmaker: 'asc', market: 'asc', line: 'asc', id: 'asc' } },
        ),
      (o) => o.match.id,
    ),
  };
}
