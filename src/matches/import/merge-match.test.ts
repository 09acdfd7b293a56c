import { describe, expect, it } from 'vitest';
import { mergeImportedMatch, type MatchRecord, type StoredMatch } from './merge-match';

const finished: StoredMatch = {
  id: 7,
  home_team_id: 1,
  away_team_id: 2,
  kickoff: '2021-10-02T14:00:00.000Z',
  status: 'FINISHED',
  home_goals: 3,
  away_goals: 1,
  half_time_home_goals: 2,
  half_time_away_goals: 0,
  home_shots: null,
  away_shots: null,
  home_shots_on_target: null,
  away_shots_on_target: null,
};

const row = (changes: Partial<MatchRecord> = {}): MatchRecord => {
  const { id: _id, ...record } = { ...finished, kickoff: '2021-10-02T12:00:00.000Z', ...changes };
  return record;
};

describe('mergeImportedMatch', () => {
  it('changes nothing when the file says what is stored (midday default keeps the stored time)', () => {
    expect(mergeImportedMatch(row(), finished, false)).toEqual({ update: null, conflict: null });
  });

  it('fills missing shots but keeps a stored half-time score that another source disagrees with', () => {
    const result = mergeImportedMatch(row({ half_time_home_goals: 3, home_shots: 14, away_shots: 9 }), finished, false);
    expect(result.update).toMatchObject({ id: 7, half_time_home_goals: 2, home_shots: 14, away_shots: 9 });
    expect(result.conflict).toMatch(/half_time_home_goals 3 differs from the stored 2/);
  });

  it('never overwrites a stored full-time result, and reports the disagreement', () => {
    const result = mergeImportedMatch(row({ home_goals: 2 }), finished, false);
    expect(result.update).toBeNull();
    expect(result.conflict).toMatch(/full-time score 2-1 differs from the stored 3-1/);
  });

  it('leaves a live or postponed match alone when the file has no score yet', () => {
    const live: StoredMatch = { ...finished, status: 'LIVE', home_goals: 1, away_goals: 0 };
    const fixture = row({ status: 'SCHEDULED', home_goals: null, away_goals: null });
    expect(mergeImportedMatch(fixture, live, false).update).toBeNull();
    expect(mergeImportedMatch(fixture, { ...live, status: 'POSTPONED' }, false).update).toBeNull();
  });

  it('records the result of a match the database still has as scheduled', () => {
    const scheduled: StoredMatch = {
      ...finished,
      status: 'SCHEDULED',
      home_goals: null,
      away_goals: null,
      half_time_home_goals: null,
      half_time_away_goals: null,
    };
    expect(mergeImportedMatch(row(), scheduled, true).update).toMatchObject({
      status: 'FINISHED',
      home_goals: 3,
      away_goals: 1,
    });
  });
});
