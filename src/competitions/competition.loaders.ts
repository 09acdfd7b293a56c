import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader, type BatchObserver } from '../db/batch';
import { rowsById, type RelationBatch } from '../db/relation-batch';
import { selectByKeys } from '../db/select';
import {
  COMPETITION_COLUMNS,
  competitionView,
  SEASON_COLUMNS,
  SEASONS_BY_ID,
  seasonFromRow,
  type SeasonWithCompetitionRow,
} from './competition.views';

export function createCompetitionLoaders(em: EntityManager, relations: RelationBatch, observe?: BatchObserver) {
  const competitionById = uniqueLoader(
    selectByKeys(em, `select ${COMPETITION_COLUMNS} from competition where id in (?)`, competitionView),
    (c) => c.id,
    { name: 'competitionById', observe },
  );
  // A season comes with its competition (one small join), through the relation batch: a match's
  // `season { competition }` comes in the statement that reads its events, odds and predictions.
  const seasonWithCompetition = (row: SeasonWithCompetitionRow) => {
    competitionById.prime(
      row.competition_id,
      competitionView({ id: row.competition_id, code: row.code, name: row.name, country: row.country }),
    );
    return seasonFromRow(row);
  };
  return {
    competitionById,
    seasonById: rowsById(relations, SEASONS_BY_ID, seasonWithCompetition),
    seasonsByCompetitionId: groupLoader(
      selectByKeys(
        em,
        `select ${SEASON_COLUMNS} from season where competition_id in (?) order by start_date desc, id desc`,
        seasonFromRow,
      ),
      (s) => s.competition.id,
      { name: 'seasonsByCompetitionId', observe },
    ),
  };
}
