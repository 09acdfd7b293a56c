import { describe, expect, it } from 'vitest';
import { firstHalfGoalShare, inPlayPrediction, remainingShare } from './in-play';
import { gridTotal, outcome1x2, overUnder, scoreGrid } from './score-grid';

const pre = { homeRate: 1.6, awayRate: 1.1, rho: -0.08 };

describe('inPlayPrediction', () => {
  it('equals the pre-match model at minute 0 with 0-0 and no cards', () => {
    const r = inPlayPrediction(pre, { minute: 0, homeGoals: 0, awayGoals: 0 });
    const g = scoreGrid(pre.homeRate, pre.awayRate, { rho: pre.rho });
    expect(r.remainingFraction).toBe(1);
    expect(r.remainingGrid).toEqual(g);
    expect(r.probabilities).toEqual(outcome1x2(g));
  });

  it('is certain at full time (finished flag or minute ≥ 90 + stoppage)', () => {
    const a = inPlayPrediction(pre, { minute: 96, homeGoals: 2, awayGoals: 1, finished: true });
    expect(a.probabilities).toEqual({ home: 1, draw: 0, away: 0 });
    expect(a.remainingFraction).toBe(0);
    const b = inPlayPrediction(pre, { minute: 98, homeGoals: 1, awayGoals: 1 }, { expectedStoppage: 8 });
    expect(b.probabilities).toEqual({ home: 0, draw: 1, away: 0 });
    expect(b.remainingHomeRate).toBe(0);
  });

  it('scales rates by the remaining fraction of 90 + stoppage', () => {
    const r = inPlayPrediction(pre, { minute: 49, homeGoals: 0, awayGoals: 0 }, { expectedStoppage: 8 });
    expect(r.remainingFraction).toBeCloseTo(0.5, 14);
    expect(r.remainingHomeRate).toBeCloseTo(0.8, 14);
    expect(r.remainingAwayRate).toBeCloseTo(0.55, 14);
    expect(gridTotal(r.remainingGrid)).toBeCloseTo(1, 12);
    // Final grid is shifted by the current score.
    const s = inPlayPrediction(pre, { minute: 49, homeGoals: 2, awayGoals: 0 });
    expect(s.finalGrid[2]![0]).toBeCloseTo(s.remainingGrid[0]![0]!, 14);
    expect(s.finalGrid[0]![0]).toBe(0);
    expect(overUnder(s.finalGrid, 1.5).over.win).toBeCloseTo(1, 14);
  });

  it('a lead is worth more the later it is', () => {
    const early = inPlayPrediction(pre, { minute: 10, homeGoals: 1, awayGoals: 0 }).probabilities.home;
    const late = inPlayPrediction(pre, { minute: 85, homeGoals: 1, awayGoals: 0 }).probabilities.home;
    expect(late).toBeGreaterThan(early);
    expect(late).toBeGreaterThan(0.8);
  });

  it('a home red card lowers the home rate and raises the away rate by the documented factors', () => {
    const base = inPlayPrediction(pre, { minute: 30, homeGoals: 0, awayGoals: 0 });
    const red = inPlayPrediction(pre, { minute: 30, homeGoals: 0, awayGoals: 0, homeRedCards: 1 });
    expect(red.remainingHomeRate / base.remainingHomeRate).toBeCloseTo(0.7, 14);
    expect(red.remainingAwayRate / base.remainingAwayRate).toBeCloseTo(1.2, 14);
    expect(red.probabilities.home).toBeLessThan(base.probabilities.home);
    expect(red.probabilities.away).toBeGreaterThan(base.probabilities.away);
    const custom = inPlayPrediction(
      pre,
      { minute: 30, homeGoals: 0, awayGoals: 0, awayRedCards: 2 },
      {
        redCardOwnFactor: 0.5,
        redCardOpponentFactor: 1,
      },
    );
    expect(custom.remainingAwayRate / base.remainingAwayRate).toBeCloseTo(0.25, 14);
    expect(custom.remainingHomeRate).toBeCloseTo(base.remainingHomeRate, 14);
  });
});

describe('remainingShare with a first-half share of goals', () => {
  it('is uniform without one, and with one puts that share before minute 45, the rest after', () => {
    expect(remainingShare(45, 8)).toBeCloseTo(53 / 98, 12);
    expect(remainingShare(0, 8, 0.44)).toBe(1);
    expect(remainingShare(22.5, 8, 0.44)).toBeCloseTo(1 - 0.22, 12);
    expect(remainingShare(45, 8, 0.44)).toBeCloseTo(0.56, 12);
    // The second half and all the stoppage share the remaining 56% evenly.
    expect(remainingShare(45 + 53 / 2, 8, 0.44)).toBeCloseTo(0.28, 12);
    expect(remainingShare(98, 8, 0.44)).toBe(0);
  });

  it('moves the half-time forecast: more goals to come makes a lead worth less', () => {
    const rates = { homeRate: 1.5, awayRate: 1.2 };
    const state = { minute: 45, homeGoals: 1, awayGoals: 0 };
    const uniform = inPlayPrediction(rates, state);
    const profiled = inPlayPrediction(rates, state, { firstHalfShare: 0.44 });
    expect(profiled.remainingFraction).toBeGreaterThan(uniform.remainingFraction);
    expect(profiled.probabilities.home).toBeLessThan(uniform.probabilities.home);
  });
});

describe('firstHalfGoalShare', () => {
  it('is first-half goals over all goals, skipping impossible rows', () => {
    const share = firstHalfGoalShare([
      { halfTimeGoals: 1, fullTimeGoals: 3 },
      { halfTimeGoals: 0, fullTimeGoals: 1 },
      { halfTimeGoals: 4, fullTimeGoals: 2 },
    ]);
    expect(share).toBeCloseTo(1 / 4, 12);
    expect(firstHalfGoalShare([])).toBeNaN();
  });
});
