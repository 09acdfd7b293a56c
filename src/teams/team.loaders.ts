import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueLoader, type BatchObserver } from '../db/batch';
import { selectByKeys } from '../db/select';
import { TEAM_COLUMNS, teamFromRow } from './team.views';

export function createTeamLoaders(em: EntityManager, observe?: BatchObserver) {
  return {
    teamById: uniqueLoader(
      selectByKeys(em, `select ${TEAM_COLUMNS} from team where id in (?)`, teamFromRow),
      (t) => t.id,
      { name: 'teamById', observe },
    ),
  };
}
