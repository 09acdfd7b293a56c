import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { selectByKeys } from '../db/select';
import { COMPETITION_COLUMNS, competitionView, SEASON_COLUMNS, seasonFromRow } from './competition.views';

export function createCompetitionLoaders(em: EntityManager) {
  return {
    competitionById: uniqueLoader(
      selectByKeys(em, `select ${COMPETITION_COLUMNS} from competition where id in (?)`, competitionView),
      (c) => c.id,
    ),
    seasonById: uniqueLoader(
      selectByKeys(em, `select ${SEASON_COLUMNS} from season where id in (?)`, seasonFromRow),
      (s) => s.id,
    ),
    seasonsByCompetitionId: groupLoader(
      selectByKeys(
        em,
        `select ${SEASON_COLUMNS} from season where competition_id in (?) order by start_date desc, id desc`,
        seasonFromRow,
      ),
      (s) => s.competition.id,
    ),
  };
}
