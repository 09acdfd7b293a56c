import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueLoader } from '../db/batch';
import { Team } from './team.entity';

export function createTeamLoaders(em: EntityManager) {
  return {
    teamById: uniqueLoader(
      (ids: readonly number[]) => em.find(Team, { id: { $in: [...ids] } }),
      (t) => t.id,
    ),
  };
}
