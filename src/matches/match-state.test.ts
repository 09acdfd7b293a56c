import { describe, expect, it } from 'vitest';
import { MatchEventType as E, MatchStatus as S } from './match.enums';
import { applyEvent, checkManualStatusChange, type MatchState } from './match-state';

const scheduled: MatchState = {
  status: S.SCHEDULED,
  minute: null,
  homeGoals: null,
  awayGoals: null,
  halfTimeHomeGoals: null,
  halfTimeAwayGoals: null,
};

function play(...events: [E, number, ('home' | 'away' | null)?][]): MatchState {
  return events.reduce(
    (state, [type, minute, side]) => applyEvent(state, { type, minute, side: side ?? null }),
    scheduled,
  );
}

describe('applyEvent', () => {
  it('derives status and score from a whole match', () => {
    const state = play(
      [E.KICK_OFF, 0],
      [E.GOAL, 12, 'home'],
      [E.HALF_TIME, 45],
      [E.SECOND_HALF, 46],
      [E.OWN_GOAL, 60, 'away'],
      [E.PENALTY_GOAL, 88, 'home'],
      [E.FULL_TIME, 94],
    );
    expect(state).toEqual({
      status: S.FINISHED,
      minute: 94,
      homeGoals: 2,
      awayGoals: 1,
      halfTimeHomeGoals: 1,
      halfTimeAwayGoals: 0,
    });
  });

  it('rejects a goal recorded after full time', () => {
    const finished = play([E.KICK_OFF, 0], [E.FULL_TIME, 90]);
    expect(() => applyEvent(finished, { type: E.GOAL, minute: 91, side: 'home' })).toThrow(/finished/);
  });

  it('rejects a goal before kick-off and a goal without a team', () => {
    expect(() => applyEvent(scheduled, { type: E.GOAL, minute: 3, side: 'home' })).toThrow(/SCHEDULED/);
    const live = play([E.KICK_OFF, 0]);
    expect(() => applyEvent(live, { type: E.GOAL, minute: 3, side: null })).toThrow(/teamId/);
  });

  it('keeps the score on a red card and allows it at half time', () => {
    const atHalfTime = play([E.KICK_OFF, 0], [E.HALF_TIME, 45]);
    expect(applyEvent(atHalfTime, { type: E.RED_CARD, minute: 45, side: 'away' })).toMatchObject({
      status: S.HALF_TIME,
      homeGoals: 0,
      awayGoals: 0,
    });
  });

  it('rejects a second kick-off', () => {
    expect(() => play([E.KICK_OFF, 0], [E.KICK_OFF, 1])).toThrow(/LIVE/);
  });
});

describe('checkManualStatusChange', () => {
  it('allows postponing a scheduled match but not making it live by hand', () => {
    expect(() => checkManualStatusChange(S.SCHEDULED, S.POSTPONED)).not.toThrow();
    expect(() => checkManualStatusChange(S.SCHEDULED, S.LIVE)).toThrow(/events/);
    expect(() => checkManualStatusChange(S.FINISHED, S.CANCELLED)).toThrow(/FINISHED/);
  });
});
