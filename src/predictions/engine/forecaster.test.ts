import { describe, expect, it } from 'vitest';
import { stackedLogitProbabilities } from '../models';
import { FORECAST_NAMES, MODEL_NAMES, MODEL_VERSIONS } from './config';
import { featureVector, learnEnsemble } from './ensemble';
import { fitForecaster, type HistoricalMatch } from './forecaster';
import { gridEdge } from './score-rates';
import { syntheticSeasons } from './testing/synthetic-league';

const history = syntheticSeasons({ seasons: 3, teams: 8, seed: 3 });
const asOf = new Date(Math.max(...history.map((m) => m.date.getTime())) + 86_400_000);

const sum = (p: { home: number; draw: number; away: number }): number => p.home + p.draw + p.away;

describe('fitForecaster', () => {
  const forecaster = fitForecaster(history, asOf, { competition: 'test-league' });

  it('predicts every model and the ensemble, with rates for the score grid', () => {
    const f = forecaster.predict('T00', 'T01');
    expect(Object.keys(f.models)).toEqual([...MODEL_NAMES]);
    for (const name of MODEL_NAMES) {
      expect(sum(f.models[name])).toBeCloseTo(1, 9);
      expect(Number.isFinite(f.features[name])).toBe(true);
    }
    expect(sum(f.ensemble)).toBeCloseTo(1, 9);
    expect(f.homeRate).toBeGreaterThan(0);
    expect(f.awayRate).toBeGreaterThan(0);
    expect(f.expectedGoals).toEqual({ home: f.homeRate, away: f.awayRate });
    expect(forecaster.historySize).toBe(history.length);
  });

  it('splits the goals total so the grid matches the ensemble’s home-minus-away edge', () => {
    const f = forecaster.predict('T02', 'T05');
    expect(gridEdge(f.homeRate, f.awayRate, f.rho)).toBeCloseTo(f.ensemble.home - f.ensemble.away, 6);
    const dc = forecaster.fitted.dixonColes.predict('T02', 'T05');
    expect(f.homeRate + f.awayRate).toBeCloseTo(dc.homeRate + dc.awayRate, 9);
  });

  it('predicts teams it has never seen (newcomer priors), never throwing', () => {
    const f = forecaster.predict('Brand New FC', 'Nowhere Town');
    for (const name of FORECAST_NAMES) {
      const p = name === 'ensemble' ? f.ensemble : f.models[name];
      expect(sum(p)).toBeCloseTo(1, 9);
      expect(Math.min(p.home, p.draw, p.away)).toBeGreaterThan(0);
    }
    // A newcomer at home to an established side is rated below an average established side.
    expect(forecaster.predict('Brand New FC', 'T00').models['dixon-coles'].home).toBeLessThan(0.6);
  });

  it('uses nothing on or after asOf, and nothing from other competitions', () => {
    const future: HistoricalMatch[] = history.map((m) => ({
      ...m,
      date: new Date(m.date.getTime() + 5 * 365 * 86_400_000),
      homeGoals: 9,
      awayGoals: 0,
    }));
    const atAsOf: HistoricalMatch = { ...history[0]!, date: asOf, homeGoals: 7, awayGoals: 0 };
    const otherLeague = history.map((m) => ({ ...m, competition: 'other', homeGoals: 0, awayGoals: 5 }));
    const polluted = fitForecaster([...history, ...future, atAsOf, ...otherLeague], asOf, {
      competition: 'test-league',
    });
    expect(polluted.predict('T03', 'T04')).toEqual(forecaster.predict('T03', 'T04'));
  });

  it('applies learned ensemble weights; without them averages the models', () => {
    const f = forecaster.predict('T06', 'T07');
    for (const key of ['home', 'draw', 'away'] as const) {
      const mean = MODEL_NAMES.reduce((s, n) => s + f.models[n][key], 0) / MODEL_NAMES.length;
      expect(f.ensemble[key]).toBeCloseTo(mean, 12);
    }
    const weights = learnEnsemble(
      history.map((m) => ({
        features: forecaster.predict(m.home, m.away).features,
        outcome: m.homeGoals > m.awayGoals ? 'home' : m.homeGoals === m.awayGoals ? 'draw' : 'away',
      })),
    );
    const weighted = fitForecaster(history, asOf, { competition: 'test-league', weights }).predict('T06', 'T07');
    const expected = stackedLogitProbabilities(
      {
        coefficients: MODEL_NAMES.map((n) => weights.coefficients[n]),
        cutAway: weights.cutAway,
        cutHome: weights.cutHome,
        count: weights.trainedOn,
      },
      featureVector(weighted.features),
    );
    expect(weighted.ensemble.home).toBeCloseTo(expected.home, 12);
    expect(weighted.ensemble.away).toBeCloseTo(expected.away, 12);
    expect(weighted.models).toEqual(f.models);
  });

  it('works with no history at all', () => {
    const empty = fitForecaster([], asOf).predict('A', 'B');
    expect(sum(empty.ensemble)).toBeCloseTo(1, 9);
    expect(empty.homeRate).toBeGreaterThan(0);
  });
});

describe('model registry', () => {
  it('has a version for every model and the ensemble', () => {
    expect(Object.keys(MODEL_VERSIONS).sort()).toEqual([...FORECAST_NAMES].sort());
    for (const v of Object.values(MODEL_VERSIONS)) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('forecaster on thin history', () => {
  it('stays near base rates after one match and never gives an outcome zero probability', () => {
    const history = [
      {
        date: new Date('2030-08-10T15:00:00Z'),
        competition: 'new-league',
        home: 'A',
        away: 'B',
        homeGoals: 0,
        awayGoals: 5,
      },
    ];
    const forecast = fitForecaster(history, new Date('2030-08-20T00:00:00Z'), { competition: 'new-league' }).predict(
      'A',
      'B',
    );
    for (const p of [forecast.ensemble, ...Object.values(forecast.models)]) {
      expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
      expect(Math.min(p.home, p.draw, p.away)).toBeGreaterThan(0.1);
    }
    expect(forecast.homeRate + forecast.awayRate).toBeGreaterThan(2);
  });

  it('floors extreme forecasts of all-draw data', () => {
    const history = Array.from({ length: 300 }, (_, i) => ({
      date: new Date(Date.UTC(2029, 0, 1 + i)),
      competition: 'draws',
      home: `T${i % 10}`,
      away: `T${(i + 1 + (i % 9)) % 10}`,
      homeGoals: 1,
      awayGoals: 1,
    })).filter((m) => m.home !== m.away);
    const forecast = fitForecaster(history, new Date(Date.UTC(2030, 0, 1)), { competition: 'draws' }).predict(
      'T1',
      'T2',
    );
    for (const p of [forecast.ensemble, ...Object.values(forecast.models)]) {
      expect(Math.min(p.home, p.draw, p.away)).toBeGreaterThanOrEqual(0.004);
    }
  });
});
