import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../models/testing/synthetic';
import type { Probabilities1x2 } from '../models';
import {
  marketInformedForecasts,
  planBacktest,
  runBacktest,
  scoreBacktest,
  type BacktestMatch,
  type BacktestPlan,
  type BacktestPrediction,
} from './backtest';
import { backtestJson } from './backtest-report';
import { FORECAST_NAMES, MODEL_NAMES, MODEL_VERSIONS, type ModelName } from './config';
import { seasonLabel, syntheticSeasons } from './testing/synthetic-league';

const options = {
  competition: 'test-league',
  from: seasonLabel(2003),
  to: seasonLabel(2004),
  warmupSeasons: 2,
  minEnsembleSamples: 50,
};
const matches = syntheticSeasons({ seasons: 5, teams: 8, seed: 7, promotedPerSeason: 1 });
const result = runBacktest(matches, options);

/**
 * Every result from `cut` on reversed (home wins become away wins), every shot count and every
 * price (before kick-off and closing) corrupted: nothing known on or after it may reach an
 * earlier prediction.
 */
function corruptedFrom(data: readonly BacktestMatch[], cut: number): BacktestMatch[] {
  return data.map((m) =>
    m.date.getTime() < cut
      ? m
      : {
          ...m,
          homeGoals: m.awayGoals + 3,
          awayGoals: m.homeGoals,
          homeShots: 0,
          awayShots: 40,
          homeShotsOnTarget: 0,
          awayShotsOnTarget: 15,
          earlyMarket: m.earlyMarket === undefined ? undefined : { home: 0.98, draw: 0.01, away: 0.01 },
          market: { home: 0.01, draw: 0.01, away: 0.98 },
        },
  );
}

describe('runBacktest', () => {
  it('predicts every match of the scored and warm-up seasons, promoted teams included', () => {
    const scored = matches.filter((m) => m.season >= options.from && m.season <= options.to);
    expect(result.matches).toBe(scored.length);
    expect(result.predictions.filter((p) => p.scored)).toHaveLength(scored.length);
    expect(result.predictions).toHaveLength(matches.filter((m) => m.season <= options.to).length);
    const promoted = result.predictions.filter((p) => p.scored && (p.home.startsWith('P') || p.away.startsWith('P')));
    expect(promoted.length).toBeGreaterThan(0);
    for (const p of result.predictions.filter((x) => x.scored)) {
      for (const name of FORECAST_NAMES) {
        const f = p.forecasts[name]!;
        expect(f.home + f.draw + f.away).toBeCloseTo(1, 9);
        expect(Number.isFinite(f.home) && Number.isFinite(f.away)).toBe(true);
      }
    }
  });

  it('never lets a result influence a prediction made before it (corrupted future, same past)', () => {
    const cut = matches.filter((m) => m.season === options.to)[30]!.date.getTime();
    const other = runBacktest(corruptedFrom(matches, cut), options);
    // Bit-identical: every forecast (each base model and the ensemble) and the ensemble's inputs.
    const before = (r: typeof result) =>
      r.predictions
        .filter((p) => p.date.getTime() <= cut)
        .map((p) => ({ forecasts: p.forecasts, features: p.features }));
    expect(before(other)).toEqual(before(result));
    expect(Object.keys(before(result).at(-1)!.forecasts)).toEqual([...FORECAST_NAMES]);
    expect(before(result).length).toBeGreaterThan(0);
    // Later predictions do change, so the corruption was real.
    expect(other.predictions.at(-1)!.forecasts).not.toEqual(result.predictions.at(-1)!.forecasts);
  });

  it('learns each season’s ensemble only on earlier seasons', () => {
    for (const [season, params] of Object.entries(result.ensembleBySeason)) {
      expect(params).not.toBeNull();
      expect(params!.seasons!.last < season).toBe(true);
    }
    // Corrupting a whole season leaves that season's ensemble parameters unchanged.
    const corrupted = matches.map((m) => (m.season === options.to ? { ...m, homeGoals: 0, awayGoals: 4 } : m));
    expect(runBacktest(corrupted, options).ensembleBySeason[options.to]).toEqual(result.ensembleBySeason[options.to]);
  });

  it("pools each season's stacker with other leagues' earlier seasons only", () => {
    // Another league's walk-forward predictions (another draw of the synthetic seasons).
    const other = runBacktest(
      syntheticSeasons({ seasons: 5, teams: 8, seed: 11, promotedPerSeason: 1 }),
      options,
    ).predictions;
    const plan = planBacktest(matches, options);
    const scored = (pooledWith: BacktestPrediction[], poolingStrength = 3) =>
      scoreBacktest(plan, structuredClone(result.predictions), { ...options, pooledWith, poolingStrength })
        .ensembleBySeason[options.to]!.coefficients;
    const pooled = scored(other);
    expect(pooled).not.toEqual(result.ensembleBySeason[options.to]!.coefficients);
    expect(scored(other, 0)).toEqual(result.ensembleBySeason[options.to]!.coefficients);
    const flipped = (season: (s: string) => boolean) =>
      other.map((p) =>
        season(p.season) ? { ...p, outcome: p.outcome === 'home' ? ('away' as const) : p.outcome } : p,
      );
    // The other league's season being scored (and later) is not known yet; its earlier ones are.
    expect(scored(flipped((s) => s >= options.to))).toEqual(pooled);
    expect(scored(flipped((s) => s < options.to))).not.toEqual(pooled);
  });

  it('refits at least every refitDays and rejects unknown seasons', () => {
    const plan = planBacktest(matches, { ...options, refitDays: 7 });
    for (const b of plan.blocks) {
      const span = plan.targets[b.end - 1]!.date.getTime() - plan.targets[b.start]!.date.getTime();
      expect(span).toBeLessThan(7 * 86_400_000);
    }
    expect(() => runBacktest(matches, { ...options, from: '1990/91' })).toThrow(RangeError);
  });
});

/** A scored prediction where every model forecasts `probs`, so the (equal-weight) ensemble does too. */
function scoredPrediction(
  date: Date,
  season: string,
  probs: Probabilities1x2,
  outcome: 'home' | 'draw' | 'away',
  market: Probabilities1x2 | null,
): BacktestPrediction {
  return {
    date,
    season,
    home: 'A',
    away: 'B',
    outcome,
    scored: true,
    forecasts: Object.fromEntries(MODEL_NAMES.map((n) => [n, probs])) as Record<ModelName, Probabilities1x2>,
    features: Object.fromEntries(MODEL_NAMES.map((n) => [n, 0])) as Record<ModelName, number>,
    market,
    earlyMarket: null,
    shotsCoverage: 1,
    rates: { home: 1.5, away: 1.1, rho: 0 },
    halfTime: null,
  };
}

describe('scoreBacktest metrics', () => {
  const p = (home: number, draw: number, away: number): Probabilities1x2 => ({ home, draw, away });
  const pred = (
    season: string,
    day: number,
    probs: Probabilities1x2,
    outcome: 'home' | 'draw' | 'away',
    market: Probabilities1x2 | null,
  ): BacktestPrediction => scoredPrediction(new Date(Date.UTC(2001, 7, day)), season, probs, outcome, market);
  const predictions = [
    pred('2001/02', 1, p(0.5, 0.3, 0.2), 'home', p(0.6, 0.25, 0.15)),
    pred('2001/02', 2, p(0.2, 0.3, 0.5), 'draw', null),
    pred('2002/03', 3, p(1 / 3, 1 / 3, 1 / 3), 'away', p(0.3, 0.3, 0.4)),
  ];
  const plan: BacktestPlan = {
    history: [],
    targets: [],
    blocks: [{ start: 0, end: 3 }],
    scoredSeasons: ['2001/02', '2002/03'],
    warmupSeasons: [],
  };
  const r = scoreBacktest(plan, predictions, {
    competition: 'x',
    from: '2001/02',
    to: '2002/03',
    minEnsembleSamples: 1e9,
  });

  it('matches hand-computed RPS, Brier, log loss, accuracy and ECE', () => {
    // RPS: 0.145, 0.145, 5/18; Brier: 0.38, 0.78, 2/3; log loss: ln 2, −ln 0.3, ln 3; hits: 1, 0, 0.
    for (const name of FORECAST_NAMES) {
      const m = r.models[name];
      expect(m.matches).toBe(3);
      expect(m.rps).toBeCloseTo((0.145 + 0.145 + 5 / 18) / 3, 12);
      expect(m.brier).toBeCloseTo((0.38 + 0.78 + 2 / 3) / 3, 12);
      expect(m.logLoss).toBeCloseTo((Math.log(2) - Math.log(0.3) + Math.log(3)) / 3, 12);
      expect(m.accuracy).toBeCloseTo(1 / 3, 12);
      expect(m.version).toBe(MODEL_VERSIONS[name]);
    }
    const [first, second] = r.seasons;
    expect(first!.models.ensemble.rps).toBeCloseTo(0.145, 12);
    expect(first!.models.ensemble.brier).toBeCloseTo(0.58, 12);
    expect(first!.models.ensemble.accuracy).toBe(0.5);
    // One forecast of 1/3 each, away won: per-outcome ECE 1/3, 1/3, 2/3 → class-wise 4/9.
    expect(second!.models.ensemble.ece).toBeCloseTo(4 / 9, 12);
  });

  it('scores the market on the matches with odds and the ratio on those same matches', () => {
    // Market RPS: ((0.4² + 0.15²)/2 = 0.09125 and (0.3² + 0.6²)/2 = 0.225.
    expect(r.market!.matches).toBe(2);
    expect(r.market!.rps).toBeCloseTo((0.09125 + 0.225) / 2, 12);
    expect(r.ratio.ensemble).toBeCloseTo((0.145 + 5 / 18) / 2 / ((0.09125 + 0.225) / 2), 12);
    expect(r.seasons[0]!.ratio['dixon-coles']).toBeCloseTo(0.145 / 0.09125, 12);
    expect(r.ensembleBySeason).toEqual({ '2001/02': null, '2002/03': null });
    // The per-match differences from the market, on the same two matches, and their interval.
    const difference = r.marketDifference!.ensemble;
    expect(difference.mean).toBeCloseTo((0.145 + 5 / 18) / 2 - (0.09125 + 0.225) / 2, 12);
    expect(difference.low).toBeLessThanOrEqual(difference.mean);
    expect(difference.high).toBeGreaterThanOrEqual(difference.mean);
  });
});

describe('backtest JSON', () => {
  it('has the documented stable shape and no NaN', () => {
    const json = backtestJson(result, 1.23);
    expect(Object.keys(json)).toEqual([
      'matches',
      'competition',
      'from',
      'to',
      'models',
      'market',
      'ratio',
      'seasons',
      'marketDifference',
      'draws',
      'calibrationNoise',
      'notLearnedFrom',
      'inPlay',
      'marketInformed',
      'ensembleWeights',
      'ensembleBySeason',
      'calibration',
      'settings',
      'wallTimeSeconds',
    ]);
    expect(json).toMatchObject({ matches: result.matches, competition: 'test-league', from: '2003/04', to: '2004/05' });
    expect(Object.keys(json.models)).toEqual([...FORECAST_NAMES]);
    for (const name of FORECAST_NAMES) {
      expect(Object.keys(json.models[name]).sort()).toEqual(
        ['accuracy', 'brier', 'ece', 'logLoss', 'matches', 'rps', 'version'].sort(),
      );
      expect(json.models[name].version).toBe(MODEL_VERSIONS[name]);
    }
    expect(json.market).toBeNull(); // the synthetic data has no odds
    expect(json.marketDifference).toBeNull();
    const scored = result.predictions.filter((p) => p.scored);
    expect(json.draws.observed).toBeCloseTo(scored.filter((p) => p.outcome === 'draw').length / scored.length, 12);
    expect(json.draws.predicted.ensemble).toBeGreaterThan(0.1);
    expect(json.draws.predicted.ensemble).toBeLessThan(0.4);
    expect(json.seasons.map((s) => s.season)).toEqual(['2003/04', '2004/05']);
    expect(json.ensembleWeights.kind).toBe('stacked-logit');
    expect(Object.keys(json.ensembleWeights.coefficients)).toEqual([...MODEL_NAMES]);
    const text = JSON.stringify(json);
    expect(text).not.toContain('NaN');
    expect(JSON.parse(text)).toEqual(json);
  });
});

describe('scoreBacktest on three synthetic seasons with prices', () => {
  // Three seasons of 600 matches: the price before kick-off knows the true probabilities, the
  // models see them blurred towards a flat forecast.
  const rng = mulberry32(11);
  const predictions: BacktestPrediction[] = [];
  const seasons = ['2001/02', '2002/03', '2003/04'];
  for (const [s, season] of seasons.entries()) {
    for (let i = 0; i < 600; i++) {
      const home = 0.2 + 0.5 * rng();
      const draw = 0.25;
      const truth = { home, draw, away: 1 - home - draw };
      const u = rng();
      const outcome = u < truth.home ? 'home' : u < truth.home + draw ? 'draw' : 'away';
      const blurred = { home: (truth.home + 1 / 3) / 2, draw: (draw + 1 / 3) / 2, away: (truth.away + 1 / 3) / 2 };
      const date = new Date(Date.UTC(2001 + s, 8, 1 + (i % 200)));
      predictions.push({ ...scoredPrediction(date, season, blurred, outcome, truth), earlyMarket: truth });
    }
  }
  const plan: BacktestPlan = { history: [], targets: [], blocks: [], scoredSeasons: seasons, warmupSeasons: [] };
  const options = { competition: 'x', from: seasons[0]!, to: seasons.at(-1)!, minEnsembleSamples: 1e9 };

  it('learns on earlier seasons only, leans on the better price, and scores from the second season', () => {
    const study = scoreBacktest(plan, predictions, options).marketInformed!;
    expect(study).toMatchObject({ from: '2002/03', to: '2003/04' });
    expect(study.blend.matches).toBe(1200);
    expect(study.marketWeight).toBeGreaterThan(0.8);
    expect(study.blend.rps).toBeLessThan(study.ensemble.rps);
    expect(study.vsEarly.mean).toBeGreaterThanOrEqual(0);
    // The last season's outcomes do not move the weight it is scored with.
    const flipped = predictions.map((p) => (p.season === '2003/04' ? { ...p, outcome: 'away' as const } : p));
    expect(scoreBacktest(plan, flipped, options).marketInformed!.marketWeight).toBe(study.marketWeight);
  });

  it('does not learn the ensemble from predictions whose shots feature is mostly goals, and says so', () => {
    const thin = predictions.map((p) => (p.season === '2001/02' ? { ...p, shotsCoverage: 0.5 } : p));
    const r = scoreBacktest(plan, thin, { ...options, minEnsembleSamples: 300 });
    expect(r.notLearnedFrom).toEqual({ predictions: 600, seasons: ['2001/02'], minShotsCoverage: 0.9 });
    expect(r.ensembleBySeason['2002/03']).toBeNull(); // nothing learnable before it
    expect(r.ensembleBySeason['2003/04']!.seasons).toEqual({ first: '2002/03', last: '2002/03' });
    expect(r.ensembleWeights.trainedOn).toBe(1200);
  });

  it('is null without prices before kick-off', () => {
    const none = predictions.map((p) => ({ ...p, earlyMarket: null }));
    expect(scoreBacktest(plan, none, options).marketInformed).toBeNull();
  });
});

describe('the market-informed forecast in a backtest', () => {
  it('never lets a result or a price known on or after a date reach a blend made before it', () => {
    // Prices on every match: the one before kick-off and the closing one, from a seeded source.
    const rng = mulberry32(5);
    const price = () => {
      const home = 0.25 + 0.4 * rng();
      const draw = 0.2 + 0.1 * rng();
      return { home, draw, away: 1 - home - draw };
    };
    const league = syntheticSeasons({ seasons: 5, teams: 18, seed: 3 }).map((m) => ({
      ...m,
      earlyMarket: price(),
      market: price(),
    }));
    const settings = { competition: 'test-league', from: seasonLabel(2003), to: seasonLabel(2005), warmupSeasons: 2 };
    const blendsOf = (data: BacktestMatch[]) => {
      const run = runBacktest(data, settings);
      const scored = run.predictions.filter((p) => p.scored);
      return marketInformedForecasts(scored, [...new Set(scored.map((p) => p.season))].sort());
    };
    const honest = blendsOf(league);
    const cut = league.filter((m) => m.season === seasonLabel(2005))[60]!.date.getTime();
    const other = blendsOf(corruptedFrom(league, cut));
    const before = (f: typeof honest) =>
      f.applied.filter((a) => a.p.date.getTime() < cut).map((a) => ({ date: a.p.date, blend: a.blend }));
    expect(honest.seasons).toEqual([seasonLabel(2004), seasonLabel(2005)]);
    expect(before(honest).length).toBeGreaterThan(100);
    // Bit-identical before the cut; after it the blends move, so the corruption reached them.
    expect(before(other)).toEqual(before(honest));
    expect(other.applied.at(-1)!.blend).not.toEqual(honest.applied.at(-1)!.blend);
  });
});
