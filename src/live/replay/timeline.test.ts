import { describe, expect, it } from 'vitest';
import { MatchEventType as T, MatchStatus } from '../../matches/match.enums';
import { replayEvents } from '../../matches/match-state';
import { drawScores, recordedTimeline, seededRandom, simulateTimeline, type FinalScores } from './timeline';

const asStored = (timeline: ReturnType<typeof simulateTimeline>) => timeline.map((e) => ({ ...e, cancelled: false }));

describe('simulateTimeline', () => {
  it('ends, through the match rules, in the full-time and half-time scores it was given, for any draw', () => {
    for (let seed = 1; seed <= 500; seed += 1) {
      const random = seededRandom(seed);
      const scores = drawScores(random);
      const timeline = simulateTimeline(scores, random);
      const state = replayEvents(asStored(timeline));
      expect(state.status, `seed ${seed}`).toBe(MatchStatus.FINISHED);
      expect({ home: state.homeGoals, away: state.awayGoals }, `seed ${seed}`).toEqual(scores.fullTime);
      expect({ home: state.halfTimeHomeGoals, away: state.halfTimeAwayGoals }, `seed ${seed}`).toEqual(scores.halfTime);
      for (let i = 1; i < timeline.length; i += 1) expect(timeline[i]!.at).toBeGreaterThanOrEqual(timeline[i - 1]!.at);
    }
  });

  it('splits goals over the halves itself when only the full-time score is known', () => {
    const scores: FinalScores = { fullTime: { home: 4, away: 3 }, halfTime: null };
    const halves = new Set<string>();
    for (let seed = 1; seed <= 50; seed += 1) {
      const state = replayEvents(asStored(simulateTimeline(scores, seededRandom(seed))));
      expect([state.homeGoals, state.awayGoals]).toEqual([4, 3]);
      halves.add(`${state.halfTimeHomeGoals}-${state.halfTimeAwayGoals}`);
    }
    expect(halves.size).toBeGreaterThan(3);
  });

  it('draws the same timeline from the same seed, and announces added time before stoppage play', () => {
    const scores: FinalScores = { fullTime: { home: 2, away: 1 }, halfTime: { home: 1, away: 1 } };
    const first = simulateTimeline(scores, seededRandom(7));
    expect(simulateTimeline(scores, seededRandom(7))).toEqual(first);
    const halfTime = first.findIndex((e) => e.type === T.HALF_TIME);
    const added = first.findIndex((e) => e.type === T.ADDED_TIME);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThan(halfTime);
    expect(first[halfTime]!.minute).toBe(45 + first[added]!.addedMinutes!);
    for (const event of first.slice(0, added)) expect(event.minute).toBeLessThanOrEqual(45);
    // The second half starts a 15-minute break after the half-time whistle.
    const secondHalf = first.find((e) => e.type === T.SECOND_HALF)!;
    expect(secondHalf.at - first[halfTime]!.at).toBe(15 * 60);
  });

  it('refuses scores no match can end in', () => {
    expect(() => simulateTimeline({ fullTime: { home: 1, away: 0 }, halfTime: { home: 2, away: 0 } })).toThrow(
      /half-time score 2-0 is above the full-time score 1-0/,
    );
    expect(() => simulateTimeline({ fullTime: { home: -1, away: 0 }, halfTime: null })).toThrow(/whole numbers/);
  });
});

describe('recordedTimeline', () => {
  it('leaves cancelled events out and puts the half-time break between the halves', () => {
    const timeline = recordedTimeline([
      { type: T.KICK_OFF, minute: 0, side: null, cancelled: false },
      { type: T.GOAL, minute: 10, side: 'home', cancelled: true },
      { type: T.GOAL, minute: 20, side: 'away', cancelled: false },
      { type: T.HALF_TIME, minute: 47, side: null, cancelled: false },
      { type: T.SECOND_HALF, minute: 46, side: null, cancelled: false },
      { type: T.GOAL, minute: 50, side: 'home', cancelled: false },
      { type: T.FULL_TIME, minute: 93, side: null, cancelled: false },
    ]);
    expect(timeline.map((e) => [e.type, e.at])).toEqual([
      [T.KICK_OFF, 0],
      [T.GOAL, 20 * 60],
      [T.HALF_TIME, 47 * 60],
      [T.SECOND_HALF, 62 * 60],
      [T.GOAL, 66 * 60],
      [T.FULL_TIME, 109 * 60],
    ]);
  });
});
