import type { JsonRelation } from '../db/relation-batch';
import { idRef, readViewFactory } from '../db/read-view';
import { Competition } from './competition.entity';
import { Season } from './season.entity';

export const SEASON_COLUMNS = 'id, competition_id, label, start_date::text as start_date, end_date::text as end_date';
export const COMPETITION_COLUMNS = 'id, code, name, country';

export interface SeasonRow {
  id: number;
  competition_id: number;
  label: string;
  start_date: string;
  end_date: string;
}

export type CompetitionRow = Pick<Competition, 'id' | 'code' | 'name' | 'country'>;

/** Seasons by id (the batch's keys in the one `?`), each with its competition's columns. */
export const SEASON_WITH_COMPETITION_SQL = `select s.id, s.competition_id, s.label, s.start_date::text as start_date,
    s.end_date::text as end_date, c.code, c.name, c.country
  from season s join competition c on c.id = s.competition_id where s.id in (?)`;

export type SeasonWithCompetitionRow = SeasonRow & Omit<CompetitionRow, 'id'>;

/** Seasons by id with their competition, as JSON rows (`SeasonWithCompetitionRow`), for the relation batch. */
export const SEASONS_BY_ID: JsonRelation = {
  name: 'seasons_by_id',
  sql: `select s.id as key, json_build_object('id', s.id, 'competition_id', s.competition_id, 'label', s.label,
      'start_date', s.start_date::text, 'end_date', s.end_date::text, 'code', c.code, 'name', c.name, 'country', c.country) as value
    from season s join competition c on c.id = s.competition_id where s.id = any(?::bigint[])`,
};

const seasonView = readViewFactory(Season);
export const competitionView = readViewFactory(Competition);

export function seasonFromRow(row: SeasonRow): Season {
  return seasonView({
    id: row.id,
    competition: idRef(row.competition_id),
    label: row.label,
    startDate: row.start_date,
    endDate: row.end_date,
  });
}
