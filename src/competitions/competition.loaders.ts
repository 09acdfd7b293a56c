import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { Competition } from './competition.entity';
import { Season } from './season.entity';

export function createCompetitionLoaders(em: EntityManager) {
  return {
    competitionById: uniqueLoader(
      (ids: readonly number[]) => em.find(Competition, { id: { $in: [...ids] } }),
      (c) => c.id,
    ),
    seasonById: uniqueLoader(
      (ids: readonly number[]) => em.find(Season, { id: { $in: [...ids] } }),
      (s) => s.id,
    ),
    seasonsByCompetitionId: groupLoader(
      (ids: readonly number[]) =>
        em.find(Season, { competition: { $in: [...ids] } }, { orderBy: { startDate: 'desc' } }),
      (s) => s.competition.id,
    ),
  };
}
