import { describe, expect, it } from 'vitest';
import { BACKTEST_REPORTS, servedEnsembleWeights, type BacktestReport } from './backtest-reports';
import { ENSEMBLE, MODEL_VERSIONS, ensembleProbabilities, type EnsembleWeights } from './engine';

const LEAGUES = ['premier-league', 'la-liga', 'serie-a', 'bundesliga', 'ligue-1'];

// Base models that agree on an even match: the stacker's cutpoints decide the draw.
const EVEN = { 'dixon-coles': 0, 'shots-poisson': 0, elo: 0, 'pi-ratings': 0 };
const EVEN_MODELS = Object.fromEntries(
  Object.keys(EVEN).map((name) => [name, { home: 0.4, draw: 0.3, away: 0.3 }]),
) as Parameters<typeof ensembleProbabilities>[2];
const drawOf = (weights: EnsembleWeights | undefined) => ensembleProbabilities(weights, EVEN, EVEN_MODELS).draw;

describe('the ensemble weights served per competition', () => {
  it("serves each league the stacker its own backtest learned, not the Premier League's", () => {
    for (const league of LEAGUES) {
      expect(BACKTEST_REPORTS[league]!.models[ENSEMBLE]!.version).toBe(MODEL_VERSIONS[ENSEMBLE]);
      expect(servedEnsembleWeights(league)).toEqual(BACKTEST_REPORTS[league]!.ensembleWeights);
    }
    // Serie A draws more often than the Premier League, and its served forecasts say so.
    expect(drawOf(servedEnsembleWeights('serie-a'))).toBeGreaterThan(
      drawOf(servedEnsembleWeights('premier-league')) + 0.01,
    );
  });

  it('serves a competition without a backtest the mean of the leagues that have one', () => {
    const served = servedEnsembleWeights('league-without-report')!;
    const all = LEAGUES.map((league) => BACKTEST_REPORTS[league]!.ensembleWeights!);
    const mean = (of: (w: EnsembleWeights) => number) => all.reduce((sum, w) => sum + of(w), 0) / all.length;
    expect(served.cutHome).toBeCloseTo(
      mean((w) => w.cutHome),
      12,
    );
    expect(served.cutAway).toBeCloseTo(
      mean((w) => w.cutAway),
      12,
    );
    expect(served.coefficients['shots-poisson']).toBeCloseTo(
      mean((w) => w.coefficients['shots-poisson']),
      12,
    );
  });

  it('serves no weights from a report made with another ensemble version', () => {
    const stale = (league: string): BacktestReport => {
      const report = BACKTEST_REPORTS[league]!;
      return { ...report, models: { ...report.models, [ENSEMBLE]: { ...report.models[ENSEMBLE]!, version: '0.0.1' } } };
    };
    const reports = { 'serie-a': stale('serie-a'), 'la-liga': BACKTEST_REPORTS['la-liga']! };
    expect(servedEnsembleWeights('serie-a', reports)).toBeUndefined();
    // The fallback mean leaves the stale report out.
    expect(servedEnsembleWeights('elsewhere', reports)!.cutHome).toBeCloseTo(
      reports['la-liga'].ensembleWeights!.cutHome,
      12,
    );
    expect(servedEnsembleWeights('elsewhere', { 'serie-a': stale('serie-a') })).toBeUndefined();
  });
});
