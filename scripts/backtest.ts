/**
 * Walk-forward backtest on the shipped football-data files.
 *
 *   npm run backtest -- --data ../shared/data --competition premier-league --from 2012/13 --to 2024/25 \
 *     [--json] [--svg <file>] [--out <file>] [--refit-days 7] [--warmup 10] [--no-write]
 *   npm run backtest -- --all     (every league: docs/backtest/<league>-<from>-<to>.{json,svg} and README.md)
 *
 * Training data: results/<competition>/season-*.csv (goals, shots, shots on target). Market: Pinnacle
 * closing 1X2 from football-data-epl/E0_*.csv (premier-league only), margin removed proportionally,
 * joined on season + teams with a date check. Progress goes to stderr; the table (or, with --json,
 * one JSON object) to stdout. The JSON and the calibration SVG are also written under docs/backtest/.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { readFootballDataFile } from '../src/matches/import/football-data.parser';
import {
  backtestJson,
  backtestSummaryMarkdown,
  calibrationSvg,
  formatBacktestTable,
  MODEL_SETTINGS,
  planBacktest,
  predictBlocks,
  scoreBacktest,
  type BacktestMatch,
  type BacktestJson,
  type BacktestOptions,
  type BacktestPlan,
  type BacktestPrediction,
  type BacktestProgress,
  type RefitBlock,
} from '../src/predictions/engine';
import { impliedProbabilities, type Probabilities1x2 } from '../src/predictions/models';

export interface BacktestCliOptions {
  data: string;
  competition: string;
  from: string;
  to: string;
  json: boolean;
  svg: string;
  out: string;
  write: boolean;
  refitDays: number;
  warmup: number;
  /** Worker threads predicting disjoint runs of refit blocks (default: up to 2, one per core). */
  workers: number;
  /** Every league in LEAGUES, each written under its own name, and the summary docs/backtest/README.md. */
  all: boolean;
}

/** The leagues of ../shared/data/results, as `--all` runs them. */
export const LEAGUES = ['premier-league', 'la-liga', 'serie-a', 'bundesliga', 'ligue-1'] as const;

const USAGE = `usage: npm run backtest -- [--data ../shared/data] [--competition premier-league] [--from 2012/13] [--to 2024/25]
                           [--json] [--svg <file>] [--out <file>] [--refit-days 7] [--warmup 10] [--workers 2]
                           [--no-write] [--all] [--help]

  --competition  a folder of <data>/results (${LEAGUES.join(', ')})
  --all          every league: docs/backtest/<league>-<from>-<to>.json and .svg, and docs/backtest/README.md
  --out, --svg   where the JSON report and the reliability diagram go
                 (default docs/backtest/<competition>-<from year>-<to year>.json and .svg)
  --no-write     print only
  --json         print the JSON report instead of the tables`;

const DAY_MS = 86_400_000;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** `2012/13` -> 2012 and 2013. */
function seasonYears(label: string): [number, number] {
  const m = /^(\d{4})\/(\d{2})$/.exec(label);
  if (!m) usage(`bad season "${label}" (expected e.g. 2012/13)`);
  const start = Number(m[1]);
  return [start, start + 1];
}

export function parseArgs(argv: readonly string[]): BacktestCliOptions {
  const o = {
    data: '../shared/data',
    competition: 'premier-league',
    from: '2012/13',
    to: '2024/25',
    json: false,
    svg: '',
    out: '',
    write: true,
    refitDays: 7,
    warmup: 10,
    workers: Math.min(2, availableParallelism()),
    all: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--data') o.data = value();
    else if (arg === '--competition') o.competition = value();
    else if (arg === '--from') o.from = value();
    else if (arg === '--to') o.to = value();
    else if (arg === '--json') o.json = true;
    else if (arg === '--svg') o.svg = value();
    else if (arg === '--out') o.out = value();
    else if (arg === '--no-write') o.write = false;
    else if (arg === '--refit-days') o.refitDays = Number(value());
    else if (arg === '--warmup') o.warmup = Number(value());
    else if (arg === '--workers') o.workers = Number(value());
    else if (arg === '--all') o.all = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usage(`unknown argument ${arg}`);
  }
  if (!(o.refitDays > 0) || !(o.warmup >= 0) || !(Number.isInteger(o.workers) && o.workers >= 1)) {
    usage('--refit-days must be > 0, --warmup >= 0 and --workers a positive integer');
  }
  const [fromStart] = seasonYears(o.from);
  const [toStart, toEnd] = seasonYears(o.to);
  if (fromStart > toStart) usage(`--from ${o.from} comes after --to ${o.to}`);
  if (o.all && argv.includes('--competition')) usage('--all runs every league: leave out --competition');
  const leagues = path.join(o.data, 'results');
  if (!o.all && !existsSync(path.join(leagues, o.competition))) {
    const found = existsSync(leagues) ? readdirSync(leagues).join(', ') : `none: ${leagues} does not exist`;
    usage(`no results for --competition ${o.competition} under ${o.data} (found: ${found})`);
  }
  const base = `docs/backtest/${o.competition}-${seasonYears(o.from)[0]}-${toEnd}`;
  o.svg ||= `${base}.svg`;
  o.out ||= `${base}.json`;
  return o;
}

const csvFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => path.join(dir, f));

interface MarketPrices {
  date: Date;
  /** Pinnacle's closing 1X2: what forecasts are scored against. */
  market: Probabilities1x2;
  /** Pinnacle's earlier 1X2 (`PSH/PSD/PSA`), available before kick-off: what a forecast may use. */
  early: Probabilities1x2 | null;
}

/** Pinnacle 1X2 (margin removed proportionally) by `season|home|away`, with the kick-off. */
async function loadMarket(dataDir: string): Promise<Map<string, MarketPrices>> {
  const out = new Map<string, MarketPrices>();
  const marginFree = (prices: readonly number[]): Probabilities1x2 => {
    const [home, draw, away] = impliedProbabilities(prices, 'multiplicative').probabilities;
    return { home: home!, draw: draw!, away: away! };
  };
  for (const file of csvFiles(path.join(dataDir, 'football-data-epl'))) {
    const parsed = await readFootballDataFile(file);
    for (const row of parsed.rows) {
      const pinnacle = (closing: boolean) =>
        row.odds.find((o) => o.bookmaker === 'pinnacle' && o.market === '1X2' && o.closing === closing);
      const closing = pinnacle(true);
      if (!closing) continue;
      const early = pinnacle(false);
      out.set(`${parsed.seasonLabel}|${row.homeTeam}|${row.awayTeam}`, {
        date: row.kickoff,
        market: marginFree(closing.prices),
        early: early ? marginFree(early.prices) : null,
      });
    }
  }
  return out;
}

/** Finished matches of the competition from results/, with the EPL market joined where available. */
export async function loadBacktestMatches(
  dataDir: string,
  competition: string,
): Promise<{ matches: BacktestMatch[]; joined: number; unmatched: number }> {
  const market = competition === 'premier-league' ? await loadMarket(dataDir) : new Map<string, MarketPrices>();
  const matches: BacktestMatch[] = [];
  let joined = 0;
  for (const file of csvFiles(path.join(dataDir, 'results', competition))) {
    const parsed = await readFootballDataFile(file);
    for (const row of parsed.rows) {
      if (row.homeGoals === null || row.awayGoals === null) continue;
      const m = market.get(`${parsed.seasonLabel}|${row.homeTeam}|${row.awayTeam}`);
      // Same fixture in both sources: the kick-offs must fall within a day and a half (time-zone slack).
      const prices = m && Math.abs(m.date.getTime() - row.kickoff.getTime()) <= 1.5 * DAY_MS ? m : null;
      const odds = prices?.market ?? null;
      if (odds) joined++;
      matches.push({
        date: row.kickoff,
        competition,
        season: parsed.seasonLabel,
        home: row.homeTeam,
        away: row.awayTeam,
        homeGoals: row.homeGoals,
        awayGoals: row.awayGoals,
        homeShots: row.stats?.homeShots ?? null,
        awayShots: row.stats?.awayShots ?? null,
        homeShotsOnTarget: row.stats?.homeShotsOnTarget ?? null,
        awayShotsOnTarget: row.stats?.awayShotsOnTarget ?? null,
        market: odds,
        earlyMarket: prices?.early ?? null,
        halfTime:
          row.halfTimeHomeGoals !== null && row.halfTimeAwayGoals !== null
            ? { home: row.halfTimeHomeGoals, away: row.halfTimeAwayGoals }
            : null,
      });
    }
  }
  return { matches, joined, unmatched: market.size - joined };
}

/** Progress on stderr: a rewritten line on a terminal, a line per 10% otherwise. */
function progressReporter(): (p: BacktestProgress) => void {
  let lastDecile = -1;
  return ({ done, total, season, refits }) => {
    const pct = Math.floor((100 * done) / total);
    const text = `backtest: ${done}/${total} matches (${pct}%), season ${season}, ${refits} refits`;
    if (process.stderr.isTTY) process.stderr.write(`\r${text}${done === total ? '\n' : ''}`);
    else if (Math.floor(pct / 10) !== lastDecile || done === total) {
      lastDecile = Math.floor(pct / 10);
      process.stderr.write(`${text}\n`);
    }
  };
}

interface ChunkJob {
  kind: 'backtest-chunk';
  plan: Pick<BacktestPlan, 'history' | 'targets'>;
  blocks: RefitBlock[];
  competition: string;
}

type ChunkMessage =
  { type: 'block'; matches: number; season: string } | { type: 'done'; predictions: BacktestPrediction[] };

/** Splits the blocks into `n` contiguous runs with about the same number of matches each. */
function splitBlocks(blocks: readonly RefitBlock[], n: number): RefitBlock[][] {
  const total = blocks.at(-1)?.end ?? 0;
  const runs: RefitBlock[][] = Array.from({ length: n }, () => []);
  for (const b of blocks) runs[Math.min(n - 1, Math.floor((b.start * n) / Math.max(total, 1)))]!.push(b);
  return runs.filter((r) => r.length > 0);
}

/**
 * Base-model predictions for the whole plan on `workers` threads. The first block of each later run
 * starts its optimisers cold instead of from the previous week's fit, which moves probabilities by
 * about 1e-5 compared with a single thread (`--workers 1`).
 */
async function predictInWorkers(
  plan: BacktestPlan,
  competition: string,
  workers: number,
  onProgress?: (p: BacktestProgress) => void,
): Promise<BacktestPrediction[]> {
  const runs = splitBlocks(plan.blocks, workers);
  let done = 0;
  let refits = 0;
  const results = await Promise.all(
    runs.map(
      (blocks) =>
        new Promise<BacktestPrediction[]>((resolve, reject) => {
          const job: ChunkJob = {
            kind: 'backtest-chunk',
            plan: { history: plan.history, targets: plan.targets },
            blocks,
            competition,
          };
          // Workers do not inherit tsx's ESM hooks: register its CommonJS hook, then load this file.
          const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
            eval: true,
            workerData: job,
          });
          worker.on('message', (msg: ChunkMessage) => {
            if (msg.type === 'block') {
              done += msg.matches;
              refits++;
              onProgress?.({ done, total: plan.targets.length, season: msg.season, refits });
            } else resolve(msg.predictions);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`backtest worker exited with code ${code}`));
          });
        }),
    ),
  );
  return results.flat();
}

/** The base models' walk-forward predictions of the run (what every scoring of it starts from). */
export async function predictBacktest(options: BacktestCliOptions, quiet = false) {
  const { matches, joined, unmatched } = await loadBacktestMatches(options.data, options.competition);
  if (!quiet) {
    console.error(
      `loaded ${matches.length} ${options.competition} matches; market odds joined to ${joined}` +
        (unmatched > 0 ? ` (${unmatched} odds rows not matched)` : ''),
    );
  }
  const backtestOptions: BacktestOptions = {
    competition: options.competition,
    from: options.from,
    to: options.to,
    refitDays: options.refitDays,
    warmupSeasons: options.warmup,
  };
  const plan = planBacktest(matches, backtestOptions);
  const onProgress = quiet ? undefined : progressReporter();
  let refits = 0;
  const predictions =
    options.workers > 1
      ? await predictInWorkers(plan, options.competition, options.workers, onProgress)
      : predictBlocks(plan, plan.blocks, options.competition, (block) =>
          onProgress?.({
            done: block.end,
            total: plan.targets.length,
            season: plan.targets[block.start]!.season,
            refits: ++refits,
          }),
        );
  return { plan, predictions, backtestOptions };
}

/** A league's predictions made beforehand (as `--all` does when pooling), and how long they took. */
type PredictedRun = Awaited<ReturnType<typeof predictBacktest>> & { seconds?: number };

const pooling = () => MODEL_SETTINGS.ensemble.poolingStrength > 0;

/**
 * The league's run scored, its stacker shrunk towards one learned on every league when pooling
 * is on (`pooledWith`: the other leagues' predictions; predicted here when not given).
 */
export async function runCli(
  options: BacktestCliOptions,
  quiet = false,
  pooledWith?: readonly BacktestPrediction[],
  predicted?: PredictedRun,
) {
  const started = performance.now();
  const { plan, predictions, backtestOptions } = predicted ?? (await predictBacktest(options, quiet));
  const others = pooledWith ?? (pooling() ? await predictOtherLeagues(options) : []);
  const result = scoreBacktest(plan, predictions, { ...backtestOptions, pooledWith: others });
  const wall = (performance.now() - started) / 1000 + (predicted?.seconds ?? 0);
  return { result, wall, json: backtestJson(result, wall) };
}

async function predictOtherLeagues(options: BacktestCliOptions): Promise<BacktestPrediction[]> {
  const leagues = LEAGUES.filter((l) => l !== options.competition);
  const runs = await predictLeagues(leagues, (league) => ({ ...options, competition: league }));
  return [...runs.values()].flatMap((run) => run.predictions);
}

/** Each league's predictions (quietly), timed: what pooling the stacker over them needs. */
async function predictLeagues(
  leagues: readonly string[],
  optionsOf: (league: string) => BacktestCliOptions,
): Promise<Map<string, PredictedRun>> {
  const runs = new Map<string, PredictedRun>();
  for (const league of leagues) {
    console.error(`predicting ${league} (the stacker is pooled over every league)`);
    const started = performance.now();
    const run = await predictBacktest(optionsOf(league), true);
    runs.set(league, { ...run, seconds: (performance.now() - started) / 1000 });
  }
  return runs;
}

/** Text as the repo's Prettier would print it (so `prettier --check .` stays green); as is if Prettier is absent. */
async function formatted(text: string, file: string, parser: 'json' | 'markdown'): Promise<string> {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, parser });
  } catch {
    return text;
  }
}

const formatJson = (value: unknown, file: string) => formatted(`${JSON.stringify(value, null, 2)}\n`, file, 'json');
const formatMarkdown = (text: string, file: string) => formatted(text, file, 'markdown');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (options.all) return runAll(argv);
  await runOne(options);
}

// Each league as `--competition <league>` with the same other arguments, then the summary.
async function runAll(argv: readonly string[]): Promise<void> {
  const rest = argv.filter((arg) => arg !== '--all');
  const reports: BacktestJson[] = [];
  // Every league predicted first: each one's stacker may be pooled over the others.
  const predicted = pooling()
    ? await predictLeagues(LEAGUES, (league) => parseArgs([...rest, '--competition', league]))
    : new Map<string, PredictedRun>();
  for (const league of LEAGUES) {
    const options = parseArgs([...rest, '--competition', league]);
    console.error(`== ${league}`);
    const others = LEAGUES.filter((l) => l !== league).flatMap((l) => predicted.get(l)?.predictions ?? []);
    reports.push(await runOne(options, others, predicted.get(league)));
  }
  const options = parseArgs(rest);
  if (options.write) {
    const file = 'docs/backtest/README.md';
    writeFileSync(file, await formatMarkdown(backtestSummaryMarkdown(reports), file));
    console.error(`wrote ${file}`);
  }
}

async function runOne(
  options: BacktestCliOptions,
  pooledWith?: readonly BacktestPrediction[],
  predicted?: PredictedRun,
): Promise<BacktestJson> {
  const { result, wall, json } = await runCli(options, false, pooledWith, predicted);
  if (options.write) {
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, await formatJson(json, options.out));
    mkdirSync(path.dirname(options.svg), { recursive: true });
    writeFileSync(
      options.svg,
      calibrationSvg({
        title: `Reliability, ${result.competition} ${result.from}–${result.to} (${result.matches} matches)`,
        model: result.calibration.ensemble,
        modelLabel: `ensemble v${result.models.ensemble.version}`,
        market: result.calibration.market,
        marketLabel: 'Pinnacle closing',
      }),
    );
    console.error(`wrote ${options.out} and ${options.svg}`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(json)}\n`);
  else console.log(formatBacktestTable(result, wall));
  return json;
}

function runWorkerChunk(job: ChunkJob): void {
  const predictions = predictBlocks(job.plan, job.blocks, job.competition, (block) =>
    parentPort!.postMessage({
      type: 'block',
      matches: block.end - block.start,
      season: job.plan.targets[block.start]!.season,
    } satisfies ChunkMessage),
  );
  parentPort!.postMessage({ type: 'done', predictions } satisfies ChunkMessage);
}

if (!isMainThread && (workerData as ChunkJob | undefined)?.kind === 'backtest-chunk') {
  runWorkerChunk(workerData as ChunkJob);
} else if (typeof require !== 'undefined' && require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
