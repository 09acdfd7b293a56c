import { readViewFactory } from '../db/read-view';
import { Team } from './team.entity';

export const TEAM_COLUMNS = 'id, name, short_name, country';

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
