import type { JsonRelation } from '../db/relation-batch';
import { readViewFactory } from '../db/read-view';
import { Team } from './team.entity';

export const TEAM_COLUMNS = 'id, name, short_name, country';

/** Teams by id as JSON rows (`TeamRow`), for the relation batch. */
export const TEAMS_BY_ID: JsonRelation = {
  name: 'teams_by_id',
  sql: `select id as key, json_build_object('id', id, 'name', name, 'short_name', short_name, 'country', country) as value
    from team where id = any(?::bigint[])`,
};

export interface TeamRow {
  id: number;
  name: string;
  short_name: string;
  country: string | null;
}

const teamView = readViewFactory(Team);

export function teamFromRow(row: TeamRow): Team {
  return teamView({ id: row.id, name: row.name, shortName: row.short_name, country: row.country });
}
