import { rowsById, type RelationBatch } from '../db/relation-batch';
import { TEAMS_BY_ID, teamFromRow, type TeamRow } from './team.views';

export function createTeamLoaders(relations: RelationBatch) {
  return {
    // Through the relation batch: a match's teams come with its events, odds and predictions.
    teamById: rowsById<TeamRow, ReturnType<typeof teamFromRow>>(relations, TEAMS_BY_ID, teamFromRow),
  };
}
