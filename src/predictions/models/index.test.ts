import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('models index', () => {
  it('re-exports the public API', () => {
    for (const name of [
      'fitDixonColes',
      'scoreGrid',
      'outcome1x2',
      'overUnder',
      'asianHandicap',
      'fitEloModel',
      'fitPiModel',
      'impliedProbabilities',
      'rankedProbabilityScore',
      'calibrationReport',
      'inPlayPrediction',
      'learnEnsembleWeights',
      'combine',
      'minimizeLbfgs',
    ] as const) {
      expect(typeof api[name]).toBe('function');
    }
  });

  it('works end to end: fit, predict, price, evaluate', () => {
    const matches: api.MatchResult[] = [];
    const teams = ['A', 'B', 'C', 'D'];
    let day = 0;
    for (let r = 0; r < 6; r++)
      for (const h of teams)
        for (const a of teams)
          if (h !== a)
            matches.push({
              date: day++,
              home: h,
              away: a,
              homeGoals: (h < a ? 2 : 1) + (r % 2),
              awayGoals: r % 3 === 0 ? 1 : 0,
            });
    const dc = api.fitDixonColes(matches, { asOf: day });
    const elo = api.fitEloModel(matches, { asOf: day, burnInMatches: 12 });
    const pi = api.fitPiModel(matches, { asOf: day, burnInMatches: 12 });
    const preds = [dc.predict('A', 'D').probabilities, elo.predict('A', 'D'), pi.predict('A', 'D')];
    const mix = api.combine([1, 1, 1], preds);
    expect(mix.home + mix.draw + mix.away).toBeCloseTo(1, 12);
    const market = api.implied1x2({ home: 1.8, draw: 3.6, away: 4.5 }, 'shin');
    expect(api.rankedProbabilityScore(market, 'home')).toBeLessThan(api.rankedProbabilityScore(market, 'away'));
    const live = api.inPlayPrediction(
      { ...dc.rates('A', 'D'), rho: dc.rho },
      { minute: 60, homeGoals: 0, awayGoals: 1 },
    );
    expect(live.probabilities.away).toBeGreaterThan(dc.predict('A', 'D').probabilities.away);
  });
});
