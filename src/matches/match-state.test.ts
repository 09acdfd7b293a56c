import { describe, expect, it } from 'vitest';
import { MatchEventType as E, MatchStatus as S } from './match.enums';
import { applyEvent, checkManualStatusChange, replayEvents, type MatchState } from './match-state';

const scheduled: MatchState = {
  status: S.SCHEDULED,
  minute: null,
  homeGoals: null,
  awayGoals: null,
  halfTimeHomeGoals: null,
  halfTimeAwayGoals: null,
  homeShootoutGoals: null,
  awayShootoutGoals: null,
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
      homeShootoutGoals: null,
      awayShootoutGoals: null,
    });
  });

  it('plays a level knock-out match through extra time and a shoot-out, its kicks counted apart', () => {
    const level = play([E.KICK_OFF, 0], [E.GOAL, 30, 'home'], [E.GOAL, 80, 'away']);
    const extra = applyEvent(level, { type: E.EXTRA_TIME_START, minute: 91, side: null });
    expect(extra).toMatchObject({ status: S.EXTRA_TIME, homeGoals: 1, awayGoals: 1 });
    // Goals, cards and penalties go on in extra time; a goal there counts in the score.
    const scoredInExtra = applyEvent(extra, { type: E.GOAL, minute: 100, side: 'home' });
    expect(scoredInExtra).toMatchObject({ status: S.EXTRA_TIME, minute: 100, homeGoals: 2 });
    expect(applyEvent(scoredInExtra, { type: E.FULL_TIME, minute: 121, side: null }).status).toBe(S.FINISHED);
    const shootout = applyEvent(applyEvent(extra, { type: E.RED_CARD, minute: 110, side: 'away' }), {
      type: E.SHOOTOUT_START,
      minute: 120,
      side: null,
    });
    expect(shootout).toMatchObject({ status: S.PENALTIES, homeShootoutGoals: 0, awayShootoutGoals: 0 });
    const kicks: [E, 'home' | 'away'][] = [
      [E.SHOOTOUT_GOAL, 'home'],
      [E.SHOOTOUT_MISS, 'away'],
      [E.SHOOTOUT_GOAL, 'home'],
      [E.SHOOTOUT_GOAL, 'away'],
    ];
    const afterKicks = kicks.reduce((state, [type, side]) => applyEvent(state, { type, minute: 120, side }), shootout);
    expect(afterKicks).toMatchObject({ homeGoals: 1, awayGoals: 1, homeShootoutGoals: 2, awayShootoutGoals: 1 });
    expect(applyEvent(afterKicks, { type: E.FULL_TIME, minute: 120, side: null })).toMatchObject({
      status: S.FINISHED,
      homeShootoutGoals: 2,
    });
  });

  it('refuses extra time or a shoot-out that does not follow a level score, and a level shoot-out ending', () => {
    const ahead = play([E.KICK_OFF, 0], [E.GOAL, 30, 'home']);
    expect(() => applyEvent(ahead, { type: E.EXTRA_TIME_START, minute: 91, side: null })).toThrow(/not level/);
    const level = play([E.KICK_OFF, 0]);
    expect(() => applyEvent(level, { type: E.EXTRA_TIME_START, minute: 60, side: null })).toThrow(/minute 90/);
    expect(() => applyEvent(level, { type: E.SHOOTOUT_START, minute: 120, side: null })).toThrow(/LIVE/);
    const extra = applyEvent(level, { type: E.EXTRA_TIME_START, minute: 90, side: null });
    expect(() => applyEvent(extra, { type: E.SHOOTOUT_START, minute: 110, side: null })).toThrow(/minute 120/);
    expect(() => applyEvent(extra, { type: E.SHOOTOUT_GOAL, minute: 110, side: 'home' })).toThrow(/EXTRA_TIME/);
    const shootout = applyEvent(extra, { type: E.SHOOTOUT_START, minute: 120, side: null });
    expect(() => applyEvent(shootout, { type: E.GOAL, minute: 120, side: 'home' })).toThrow(/PENALTIES/);
    expect(() => applyEvent(shootout, { type: E.SHOOTOUT_GOAL, minute: 120, side: null })).toThrow(/teamId/);
    expect(() => applyEvent(shootout, { type: E.FULL_TIME, minute: 120, side: null })).toThrow(/level/);
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

  it('stores cards, substitutions, penalties, VAR reviews and added time without touching the score', () => {
    const state = play(
      [E.KICK_OFF, 0],
      [E.YELLOW_CARD, 10, 'home'],
      [E.PENALTY_AWARDED, 20, 'away'],
      [E.PENALTY_MISSED, 21, 'away'],
      [E.VAR_REVIEW, 30, null],
      [E.HALF_TIME, 47],
      [E.SUBSTITUTION, 47, 'home'],
      [E.SECOND_HALF, 46],
      [E.SECOND_YELLOW_CARD, 70, 'home'],
    );
    expect(state).toMatchObject({ status: S.LIVE, minute: 70, homeGoals: 0, awayGoals: 0 });
    expect(applyEvent(state, { type: E.ADDED_TIME, minute: 90, side: null, addedMinutes: 5 })).toMatchObject({
      minute: 90,
    });
  });

  it('refuses a card without its team, added time without minutes, and a penalty at half time', () => {
    const live = play([E.KICK_OFF, 0]);
    expect(() => applyEvent(live, { type: E.YELLOW_CARD, minute: 3, side: null })).toThrow(/teamId/);
    for (const addedMinutes of [undefined, 0, 31, 2.5]) {
      expect(() => applyEvent(live, { type: E.ADDED_TIME, minute: 45, side: null, addedMinutes })).toThrow(
        /addedMinutes/,
      );
    }
    const atHalfTime = play([E.KICK_OFF, 0], [E.HALF_TIME, 45]);
    expect(() => applyEvent(atHalfTime, { type: E.PENALTY_AWARDED, minute: 45, side: 'home' })).toThrow(/HALF_TIME/);
  });

  it('applies events in arrival order: a goal a few minutes late counts, one far behind the clock is OUT_OF_ORDER', () => {
    const at32 = play([E.KICK_OFF, 0], [E.GOAL, 32, 'home']);
    expect(applyEvent(at32, { type: E.GOAL, minute: 30, side: 'away' })).toMatchObject({
      minute: 32,
      homeGoals: 1,
      awayGoals: 1,
    });
    let error: unknown;
    try {
      applyEvent(at32, { type: E.GOAL, minute: 10, side: 'away' });
    } catch (caught) {
      error = caught;
    }
    expect((error as { extensions: { code: string } }).extensions.code).toBe('OUT_OF_ORDER');
  });

  it('refuses a first-half event once the second half has begun (the half-time score is set), not a late second-half one', () => {
    const secondHalf = play([E.KICK_OFF, 0], [E.HALF_TIME, 47], [E.SECOND_HALF, 46]);
    for (const [type, side] of [
      [E.GOAL, 'home'],
      [E.YELLOW_CARD, 'away'],
    ] as const) {
      expect(() => applyEvent(secondHalf, { type, minute: 44, side })).toThrow(/second half has begun/);
    }
    const at50 = applyEvent(secondHalf, { type: E.GOAL, minute: 50, side: 'home' });
    expect(applyEvent(at50, { type: E.GOAL, minute: 46, side: 'away' })).toMatchObject({
      homeGoals: 1,
      awayGoals: 1,
      halfTimeHomeGoals: 0,
      halfTimeAwayGoals: 0,
    });
    // Before the whistle a late first-half goal still counts, in the half-time score too.
    const late = play([E.KICK_OFF, 0], [E.GOAL, 44, 'home'], [E.GOAL, 40, 'away'], [E.HALF_TIME, 46]);
    expect(late).toMatchObject({ halfTimeHomeGoals: 1, halfTimeAwayGoals: 1 });
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

describe('replayEvents', () => {
  const stored = (type: E, minute: number, side: 'home' | 'away' | null = null, cancelled = false) => ({
    type,
    minute,
    side,
    cancelled,
  });

  it('recomputes score and status without a cancelled goal, and with a corrected scorer', () => {
    const events = [stored(E.KICK_OFF, 0), stored(E.GOAL, 10, 'home', true), stored(E.GOAL, 20, 'away')];
    expect(replayEvents(events)).toMatchObject({ status: S.LIVE, minute: 20, homeGoals: 0, awayGoals: 1 });
    events[2] = stored(E.GOAL, 20, 'home');
    expect(replayEvents(events)).toMatchObject({ homeGoals: 1, awayGoals: 0 });
    expect(
      replayEvents([...events, stored(E.HALF_TIME, 45), stored(E.SECOND_HALF, 45), stored(E.FULL_TIME, 95)]),
    ).toMatchObject({ status: S.FINISHED, halfTimeHomeGoals: 1, halfTimeAwayGoals: 0 });
  });

  it('refuses a correction that leaves an impossible match', () => {
    expect(() => replayEvents([stored(E.KICK_OFF, 0, null, true), stored(E.GOAL, 10, 'home')])).toThrow(
      /impossible match/,
    );
  });
});
