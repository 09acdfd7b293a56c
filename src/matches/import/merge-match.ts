/** A match row as the importer writes it (snake_case columns). */
export interface MatchRecord {
  id?: number;
  home_team_id: number;
  away_team_id: number;
  kickoff: string;
  status: string;
  home_goals: number | null;
  away_goals: number | null;
  half_time_home_goals: number | null;
  half_time_away_goals: number | null;
  home_shots: number | null;
  away_shots: number | null;
  home_shots_on_target: number | null;
  away_shots_on_target: number | null;
}

export interface StoredMatch extends Omit<MatchRecord, 'kickoff'> {
  id: number;
  kickoff: string | Date;
}

export interface MergeResult {
  /** The row to write, or null when the stored match stays as it is. */
  update: MatchRecord | null;
  /** Why a differing value from the file was not applied. */
  conflict: string | null;
}

const FILLED_ONLY = [
  'half_time_home_goals',
  'half_time_away_goals',
  'home_shots',
  'away_shots',
  'home_shots_on_target',
  'away_shots_on_target',
] as const;

/**
 * What an imported row may change in a stored match. Files never undo live state (a row
 * without a score leaves a LIVE, POSTPONED or CANCELLED match alone), never overwrite a
 * stored full-time result (sources disagree now and then: that is reported, not flipped back
 * and forth), and only fill missing half-time scores and shot counts.
 */
export function mergeImportedMatch(record: MatchRecord, current: StoredMatch, kickoffTimeKnown: boolean): MergeResult {
  const currentKickoff = new Date(current.kickoff).toISOString();
  if (record.status === 'SCHEDULED' && current.status !== 'SCHEDULED') return { update: null, conflict: null };
  const merged: MatchRecord = { ...record, id: current.id };
  // A file without kick-off times keeps the time another file gave for that day.
  if (!kickoffTimeKnown && currentKickoff.slice(0, 10) === record.kickoff.slice(0, 10)) merged.kickoff = currentKickoff;
  const conflicts: string[] = [];
  if (current.status === 'FINISHED' && current.home_goals !== null && current.away_goals !== null) {
    if (record.home_goals !== current.home_goals || record.away_goals !== current.away_goals) {
      conflicts.push(
        `full-time score ${record.home_goals}-${record.away_goals} differs from the stored ${current.home_goals}-${current.away_goals}`,
      );
    }
    merged.home_goals = current.home_goals;
    merged.away_goals = current.away_goals;
  }
  for (const column of FILLED_ONLY) {
    if (current[column] === null) continue;
    if (merged[column] !== null && merged[column] !== current[column]) {
      conflicts.push(`${column} ${merged[column]} differs from the stored ${current[column]}`);
    }
    merged[column] = current[column];
  }
  const changed =
    merged.kickoff !== currentKickoff ||
    merged.status !== current.status ||
    (Object.keys(merged) as (keyof MatchRecord)[]).some(
      (column) => column !== 'kickoff' && column !== 'id' && merged[column] !== current[column],
    );
  return {
    update: changed ? merged : null,
    conflict: conflicts.length ? `${conflicts.join('; ')}; kept the stored values` : null,
  };
}
