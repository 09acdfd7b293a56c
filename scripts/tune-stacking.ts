/**
 * Chooses the half-life of the ensemble stacker's season weights on seasons before 2012/13 only
 * (never on the seasons the README and docs/backtest/ report), and prints everything it tried.
 *
 *   npm run tune:stacking -- [--data ../shared/data] [--from 2005/06] [--to 2011/12] [--warmup 5]
 *                            [--half-lives 1,2,3,4,6,Infinity] [--leagues premier-league,la-liga,…]
 *
 * Per league, the base models predict once (walk-forward, as `npm run backtest`); the ensemble is
 * then learned and scored with each half-life. The choice: the lowest pooled ECE among the
 * half-lives whose pooled RPS is within 0.0003 of the best (calibration first, at no cost in RPS).
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { scoreBacktest, type BacktestResult } from '../src/predictions/engine';
import { parseArgs as parseBacktestArgs, predictBacktest } from './backtest';

const LEAGUES = ['premier-league', 'la-liga', 'serie-a', 'bundesliga', 'ligue-1'];
const RPS_SLACK = 0.0003;

interface Row {
  league: string;
  halfLife: number;
  matches: number;
  rps: number;
  ece: number;
  meanDraw: number;
  observedDraw: number;
}

function rowOf(league: string, halfLife: number, result: BacktestResult): Row {
  const scored = result.predictions.filter((p) => p.scored);
  const meanDraw = scored.reduce((sum, p) => sum + p.forecasts.ensemble!.draw, 0) / scored.length;
  const observedDraw = scored.filter((p) => p.outcome === 'draw').length / scored.length;
  const ensemble = result.models.ensemble;
  return { league, halfLife, matches: scored.length, rps: ensemble.rps, ece: ensemble.ece, meanDraw, observedDraw };
}

function pooled(rows: readonly Row[], halfLife: number): Row {
  const of = rows.filter((r) => r.halfLife === halfLife);
  const n = of.reduce((sum, r) => sum + r.matches, 0);
  const mean = (key: 'rps' | 'ece' | 'meanDraw' | 'observedDraw') =>
    of.reduce((sum, r) => sum + r[key] * r.matches, 0) / n;
  return {
    league: 'pooled',
    halfLife,
    matches: n,
    rps: mean('rps'),
    ece: mean('ece'),
    meanDraw: mean('meanDraw'),
    observedDraw: mean('observedDraw'),
  };
}

const line = (r: Row) =>
  [
    r.league.padEnd(15),
    String(r.halfLife).padStart(9),
    String(r.matches).padStart(7),
    r.rps.toFixed(4).padStart(7),
    r.ece.toFixed(4).padStart(7),
    r.meanDraw.toFixed(3).padStart(10),
    r.observedDraw.toFixed(3).padStart(9),
  ].join('  ');

async function main(): Promise<void> {
  const { values } = parseNodeArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      from: { type: 'string', default: '2005/06' },
      to: { type: 'string', default: '2011/12' },
      warmup: { type: 'string', default: '5' },
      'half-lives': { type: 'string', default: '1,2,3,4,6,Infinity' },
      leagues: { type: 'string', default: LEAGUES.join(',') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run tune:stacking -- [--data DIR] [--from 2005/06] [--to 2011/12] [--warmup 5] [--half-lives 1,2,3,Infinity] [--leagues a,b]',
    );
    return;
  }
  if (values.to >= '2012/13') throw new Error(`--to ${values.to}: tune on seasons before 2012/13 only`);
  const halfLives = values['half-lives'].split(',').map(Number);
  if (halfLives.some((h) => !(h > 0))) throw new Error('--half-lives: positive numbers (or Infinity)');
  const rows: Row[] = [];
  console.log(`${'league'.padEnd(15)}  half-life  matches      RPS      ECE  mean draw  observed`);
  for (const league of values.leagues.split(',')) {
    const options = parseBacktestArgs([
      ...['--data', values.data, '--competition', league, '--from', values.from, '--to', values.to],
      ...['--warmup', values.warmup, '--no-write'],
    ]);
    const started = performance.now();
    const { plan, predictions, backtestOptions } = await predictBacktest(options, true);
    console.error(`${league}: predicted in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    for (const halfLife of halfLives) {
      const result = scoreBacktest(plan, predictions, { ...backtestOptions, stackingHalfLifeSeasons: halfLife });
      const row = rowOf(league, halfLife, result);
      rows.push(row);
      console.log(line(row));
    }
  }
  const totals = halfLives.map((h) => pooled(rows, h));
  for (const total of totals) console.log(line(total));
  const bestRps = Math.min(...totals.map((t) => t.rps));
  const eligible = totals.filter((t) => t.rps <= bestRps + RPS_SLACK);
  const chosen = eligible.reduce((a, b) => (b.ece < a.ece ? b : a));
  console.log(
    `chosen half-life: ${chosen.halfLife} seasons (lowest pooled ECE among RPS within ${RPS_SLACK} of ${bestRps.toFixed(4)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
