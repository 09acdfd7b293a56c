/**
 * Prediction-engine benchmark (numbers, not pass/fail):
 *   - Dixon-Coles fit time on one EPL season (380 matches, 20 teams) and on four seasons,
 *     median of several cold fits after warm-up;
 *   - predictions per second of a fitted forecaster (all four models, ensemble and score rates);
 *   - wall time of the whole EPL 2012/13–2024/25 backtest, in this process on one thread.
 *
 *   npm run bench [-- --data ../shared/data] [--skip-backtest]
 *
 * Uses ../shared/data when present, else the demo season that ships in the repo (demo-data/E0_2425.csv,
 * one season only: the four-season fit and the backtest are then skipped).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readFootballDataFile } from '../src/matches/import/football-data.parser';
import { fitForecaster, MODEL_SETTINGS, runBacktest, type HistoricalMatch } from '../src/predictions/engine';
import { fitDixonColes, type MatchResult } from '../src/predictions/models';
import { loadBacktestMatches } from './backtest';

const DAY_MS = 86_400_000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time (ms) of `runs` calls after `warmup` untimed ones. */
function time(fn: () => unknown, runs = 25, warmup = 5): { median: number; min: number } {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times), min: Math.min(...times) };
}

async function loadSeasons(dataDir: string): Promise<{ source: string; seasons: HistoricalMatch[][] }> {
  const resultsDir = path.join(dataDir, 'results', 'premier-league');
  const files = existsSync(resultsDir)
    ? ['season-2122.csv', 'season-2223.csv', 'season-2324.csv', 'season-2425.csv'].map((f) => path.join(resultsDir, f))
    : [path.join('demo-data', 'E0_2425.csv')];
  const seasons: HistoricalMatch[][] = [];
  for (const file of files) {
    const parsed = await readFootballDataFile(file);
    seasons.push(
      parsed.rows
        .filter((r) => r.homeGoals !== null && r.awayGoals !== null)
        .map((r) => ({
          date: r.kickoff,
          competition: 'premier-league',
          home: r.homeTeam,
          away: r.awayTeam,
          homeGoals: r.homeGoals!,
          awayGoals: r.awayGoals!,
          homeShotsOnTarget: r.stats?.homeShotsOnTarget ?? null,
          awayShotsOnTarget: r.stats?.awayShotsOnTarget ?? null,
        })),
    );
  }
  return { source: files.length > 1 ? resultsDir : files[0]!, seasons };
}

const toResults = (ms: readonly HistoricalMatch[]): MatchResult[] =>
  ms.map((m) => ({ date: m.date, home: m.home, away: m.away, homeGoals: m.homeGoals, awayGoals: m.awayGoals }));

function benchFit(label: string, matches: readonly HistoricalMatch[]): void {
  const results = toResults(matches);
  const teams = new Set(matches.flatMap((m) => [m.home, m.away])).size;
  const asOf = new Date(Math.max(...matches.map((m) => m.date.getTime())) + DAY_MS);
  const library = time(() => fitDixonColes(results, { asOf }));
  const engine = time(() =>
    fitDixonColes(results, {
      asOf,
      xi: MODEL_SETTINGS.dixonColes.xi,
      optimizer: { gradientTolerance: MODEL_SETTINGS.fitTolerance },
    }),
  );
  const fit = fitDixonColes(results, { asOf });
  console.log(
    `Dixon-Coles fit, ${label} (${matches.length} matches, ${teams} teams): ` +
      `median ${library.median.toFixed(1)} ms (min ${library.min.toFixed(1)}) at the default tolerance 1e-7, ` +
      `${engine.median.toFixed(1)} ms at the engine's ${MODEL_SETTINGS.fitTolerance.toExponential()}; ` +
      `${fit.diagnostics.iterations} L-BFGS iterations, ${fit.diagnostics.evaluations} evaluations`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dataDir = args.includes('--data') ? args[args.indexOf('--data') + 1]! : '../shared/data';
  const { source, seasons } = await loadSeasons(dataDir);
  console.log(`data: ${source}; node ${process.version}`);

  benchFit('one season', seasons.at(-1)!);
  if (seasons.length >= 4) benchFit('four seasons', seasons.flat());
  else console.log('Dixon-Coles fit, four seasons: skipped (only one season available without ../shared/data)');

  const history = seasons.flat();
  const asOf = new Date(Math.max(...history.map((m) => m.date.getTime())) + DAY_MS);
  const fitTime = time(() => fitForecaster(history, asOf), 7, 2);
  const forecaster = fitForecaster(history, asOf);
  const teams = [...new Set(history.map((m) => m.home))];
  const pairs = teams.flatMap((h) => teams.filter((a) => a !== h).map((a) => [h, a] as const));
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    for (const [h, a] of pairs) forecaster.predict(h, a);
    n += pairs.length;
  }
  const perSecond = n / ((performance.now() - t0) / 1000);
  console.log(`forecaster fit (all four models, ${history.length} matches): median ${fitTime.median.toFixed(1)} ms`);
  console.log(
    `predictions per second (fitted forecaster, every model + ensemble + score rates): ${Math.round(perSecond)}`,
  );

  if (args.includes('--skip-backtest')) return;
  if (!existsSync(path.join(dataDir, 'results', 'premier-league'))) {
    console.log(`backtest: skipped (${dataDir} not found; run with --data <shared data dir>)`);
    return;
  }
  const started = performance.now();
  const { matches } = await loadBacktestMatches(dataDir, 'premier-league');
  const result = runBacktest(matches, { competition: 'premier-league', from: '2012/13', to: '2024/25' });
  const wall = (performance.now() - started) / 1000;
  console.log(
    `backtest EPL 2012/13–2024/25 (${result.matches} matches + ${result.settings.warmupSeasons} warm-up seasons, ` +
      `${result.settings.refits} refits), one thread in-process: ${wall.toFixed(1)} s ` +
      `(ensemble RPS ${result.models.ensemble.rps.toFixed(4)}; \`npm run backtest\` splits the refits over 2 worker threads)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
