/**
 * Presentation of a backtest result: the stable JSON document of `npm run backtest -- --json` (also
 * committed as docs/backtest/<competition>-<from>-<to>.json and read by the model registry) and the
 * human-readable tables. Pure.
 */
import type { MetricSet } from './backtest-metrics';
import type { BacktestResult } from './backtest';
import { FORECAST_NAMES, type ForecastName } from './config';
import type { EnsembleParameters } from './ensemble';

/** The stable JSON document (field order as printed). */
export interface BacktestJson {
  /** Matches scored (the market is scored on those of them with odds). */
  matches: number;
  competition: string;
  from: string;
  to: string;
  /** Overall metrics of each base model and the ensemble, with the version that produced them. */
  models: Record<ForecastName, MetricSet & { version: string }>;
  /** Pinnacle closing (margin removed proportionally) on the matches with odds; null without odds. */
  market: MetricSet | null;
  /** RPS forecast / RPS market on the matches with odds. */
  ratio: Record<ForecastName, number | null>;
  seasons: {
    season: string;
    matches: number;
    models: Record<ForecastName, MetricSet>;
    market: MetricSet | null;
    ratio: Record<ForecastName, number | null>;
  }[];
  /** RPS(forecast) − RPS(market) per match: mean and 95% paired bootstrap interval; null without odds. */
  marketDifference: BacktestResult['marketDifference'];
  /** Mean predicted draw probability per forecast and the observed draw rate. */
  draws: BacktestResult['draws'];
  /** The ensemble's ECE and draw-rate gap from chance alone (were it calibrated). */
  calibrationNoise: BacktestResult['calibrationNoise'];
  /** Predictions the ensemble was not learned from (shots on target missing from their history). */
  notLearnedFrom: BacktestResult['notLearnedFrom'];
  /** The in-play model at half-time, uniform and with the fitted first-half share; null without half-time scores. */
  inPlay: BacktestResult['inPlay'];
  /** The market-informed study (ensemble pooled with the price before kick-off); null without such prices. */
  marketInformed: BacktestResult['marketInformed'];
  /** Ensemble learned on every predicted season: pass it to `fitForecaster(..., { weights })`. */
  ensembleWeights: EnsembleParameters;
  /** Ensemble used for each scored season (learned on earlier seasons only). */
  ensembleBySeason: Record<string, EnsembleParameters | null>;
  calibration: BacktestResult['calibration'];
  settings: BacktestResult['settings'];
  wallTimeSeconds: number;
}

const pick = ({ matches, rps, brier, logLoss, accuracy, ece }: MetricSet): MetricSet => ({
  matches,
  rps,
  brier,
  logLoss,
  accuracy,
  ece,
});

/** The JSON document: everything but the per-match predictions; numbers only, never NaN. */
export function backtestJson(result: BacktestResult, wallTimeSeconds: number): BacktestJson {
  return {
    matches: result.matches,
    competition: result.competition,
    from: result.from,
    to: result.to,
    models: Object.fromEntries(
      FORECAST_NAMES.map((n) => [n, { version: result.models[n].version, ...pick(result.models[n]) }]),
    ) as BacktestJson['models'],
    market: result.market ? pick(result.market) : null,
    ratio: result.ratio,
    seasons: result.seasons.map((s) => ({
      season: s.season,
      matches: s.matches,
      models: Object.fromEntries(FORECAST_NAMES.map((n) => [n, pick(s.models[n])])) as Record<ForecastName, MetricSet>,
      market: s.market ? pick(s.market) : null,
      ratio: s.ratio,
    })),
    marketDifference: result.marketDifference,
    draws: result.draws,
    calibrationNoise: result.calibrationNoise,
    notLearnedFrom: result.notLearnedFrom,
    inPlay: result.inPlay
      ? { ...result.inPlay, uniform: pick(result.inPlay.uniform), profiled: pick(result.inPlay.profiled) }
      : null,
    marketInformed: result.marketInformed
      ? {
          ...result.marketInformed,
          blend: pick(result.marketInformed.blend),
          ensemble: pick(result.marketInformed.ensemble),
          early: pick(result.marketInformed.early),
          closing: pick(result.marketInformed.closing),
        }
      : null,
    ensembleWeights: result.ensembleWeights,
    ensembleBySeason: result.ensembleBySeason,
    calibration: result.calibration,
    settings: result.settings,
    wallTimeSeconds: Math.round(wallTimeSeconds * 10) / 10,
  };
}

const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`;

const f4 = (v: number | null | undefined): string => (v === null || v === undefined ? '   -  ' : v.toFixed(4));

/** Per-season RPS table and overall metrics table. */
export function formatBacktestTable(result: BacktestResult, wallTimeSeconds: number): string {
  const names = FORECAST_NAMES;
  const lines: string[] = [];
  const head = ['season ', '  n ', ...names.map((n) => n.padStart(13)), '   market', ' ens/mkt'];
  lines.push(`RPS by season (${result.competition}, lower is better)`, head.join(' '));
  for (const s of [...result.seasons, { ...result, season: 'overall', matches: result.matches } as const]) {
    const models = s.models as Record<string, MetricSet>;
    lines.push(
      [
        s.season.padEnd(7),
        String(s.matches).padStart(4),
        ...names.map((n) => f4(models[n]?.rps).padStart(13)),
        f4(s.market?.rps).padStart(9),
        f4(s.ratio.ensemble).padStart(8),
      ].join(' '),
    );
  }
  lines.push('', `Overall, ${result.matches} matches ${result.from}–${result.to}`);
  lines.push(
    ['forecast     ', 'version', '   RPS ', ' Brier ', ' logLoss', '  acc ', '  ECE  ', 'RPS/market'].join(' '),
  );
  const row = (label: string, version: string, m: MetricSet, ratio: number | null): string =>
    [
      label.padEnd(13),
      version.padEnd(7),
      f4(m.rps),
      f4(m.brier),
      ` ${f4(m.logLoss)}`,
      f4(m.accuracy),
      f4(m.ece),
      ratio === null ? '   -' : ratio.toFixed(4),
    ].join(' ');
  for (const n of names) lines.push(row(n, result.models[n].version, result.models[n], result.ratio[n]));
  if (result.market) lines.push(row('market', '-', result.market, 1));
  lines.push(
    '',
    `Draws: observed ${result.draws.observed.toFixed(3)}; mean predicted ${names
      .map((n) => `${n} ${result.draws.predicted[n].toFixed(3)}`)
      .join(', ')}`,
  );
  const skipped = result.notLearnedFrom;
  if (skipped.predictions > 0) {
    lines.push(
      `The ensemble was not learned from ${skipped.predictions} predictions whose shots feature rested less than ` +
        `${skipped.minShotsCoverage} on shots on target (seasons ${skipped.seasons.join(', ')}): the data has none before then.`,
    );
  }
  if (result.inPlay) {
    const { uniform, profiled, firstHalfShare } = result.inPlay;
    lines.push(
      `In-play at half-time (${profiled.matches} matches): RPS ${f4(profiled.rps)}, ECE ${f4(profiled.ece)} with ` +
        `${firstHalfShare} of goals in the first half; RPS ${f4(uniform.rps)}, ECE ${f4(uniform.ece)} at one rate`,
    );
  }
  const mi = result.marketInformed;
  if (mi) {
    lines.push(
      `Market-informed study ${mi.from}–${mi.to} (${mi.blend.matches} matches, market weight ${mi.marketWeight.toFixed(2)}): ` +
        `RPS blend ${f4(mi.blend.rps)}, ensemble ${f4(mi.ensemble.rps)}, price before kick-off ${f4(mi.early.rps)}, ` +
        `closing ${f4(mi.closing.rps)}; blend − closing ${signed(mi.vsClosing.mean)} (${signed(mi.vsClosing.low)} to ` +
        `${signed(mi.vsClosing.high)}), blend − earlier price ${signed(mi.vsEarly.mean)} (${signed(mi.vsEarly.low)} to ${signed(mi.vsEarly.high)})`,
    );
  }
  if (result.marketDifference) {
    lines.push('RPS − market per match, mean and 95% bootstrap interval:');
    for (const n of names) {
      const d = result.marketDifference[n];
      lines.push(`  ${n.padEnd(13)} ${signed(d.mean)} (${signed(d.low)} to ${signed(d.high)})`);
    }
  }
  lines.push(
    '',
    `refits: ${result.settings.refits} (every ${result.settings.refitDays} days), warm-up seasons: ${result.settings.warmupSeasons} from ${result.settings.warmupFrom ?? '-'}, wall time ${wallTimeSeconds.toFixed(1)} s`,
  );
  return lines.join('\n');
}

const md4 = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : v.toFixed(4));

/** The per-league summary docs/backtest/README.md: every league's overall and per-season figures. */
export function backtestSummaryMarkdown(reports: readonly BacktestJson[]): string {
  const names = FORECAST_NAMES;
  const bases = names.filter((n) => n !== 'ensemble');
  const lines = [
    '# Backtests',
    '',
    'Walk-forward backtests of every model on every league, regenerated by `npm run backtest -- --all`',
    '(do not edit by hand). RPS is the ranked probability score ÷ 2, ECE the class-wise expected',
    'calibration error over 10 bins; the market is Pinnacle closing, margin removed proportionally',
    '(Premier League only), used to score and never to predict. "By chance" is what a calibrated',
    "forecaster with the ensemble's very probabilities would show, were outcomes drawn from them",
    '(200 simulations): the ECE it would have (mean / 95th percentile) and twice the standard',
    'deviation of the observed draw rate around the mean draw probability. An ECE or a draw gap',
    'inside these is not evidence of miscalibration.',
    '',
    '| league | matches | best base model RPS | ensemble RPS | ensemble ECE | ECE by chance | mean draw / observed | 2σ by chance | ensemble − market (95%) |',
    '| --- | --: | --- | --: | --: | --- | --- | --: | --- |',
  ];
  for (const r of reports) {
    const best = bases.reduce((a, b) => (r.models[b].rps < r.models[a].rps ? b : a));
    const d = r.marketDifference?.ensemble;
    const noise = r.calibrationNoise;
    lines.push(
      `| ${r.competition} ${r.from}–${r.to} | ${r.matches} | ${md4(r.models[best].rps)} (${best}) | ` +
        `${md4(r.models.ensemble.rps)} | ${md4(r.models.ensemble.ece)} | ` +
        `${md4(noise.ece.mean)} / ${md4(noise.ece.p95)} | ` +
        `${r.draws.predicted.ensemble.toFixed(3)} / ${r.draws.observed.toFixed(3)} | ${(2 * noise.drawRateSd).toFixed(3)} | ` +
        `${d ? `${signed(d.mean)} (${signed(d.low)} to ${signed(d.high)})` : '–'} |`,
    );
  }
  lines.push(
    '',
    'The in-play model at half-time (the only minute half-time and full-time scores fix; the data has',
    "no goal times), from each match's pre-match rates and its half-time score, as served (the fitted",
    'share of goals in the first half) and with goals at one rate over the match:',
    '',
    '| league | matches | first-half share | RPS | ECE | RPS, one rate | ECE, one rate |',
    '| --- | --: | --: | --: | --: | --: | --: |',
  );
  for (const r of reports) {
    const ip = r.inPlay;
    if (!ip) continue;
    lines.push(
      `| ${r.competition} | ${ip.profiled.matches} | ${ip.firstHalfShare} | ${md4(ip.profiled.rps)} | ` +
        `${md4(ip.profiled.ece)} | ${md4(ip.uniform.rps)} | ${md4(ip.uniform.ece)} |`,
    );
  }
  const studies = reports.filter((r) => r.marketInformed);
  if (studies.length > 0) {
    lines.push(
      '',
      'The market-informed forecast (served as the model `market-informed`, with the market weight the',
      "Premier League's study learned): a linear pool of the ensemble and Pinnacle's price before",
      'kick-off (`PSH/PSD/PSA`, never the closing one), its weights learned on the earlier seasons only,',
      'scored against the closing price (the first scored season only trains it):',
      '',
      '| league | seasons | matches | market weight | blend RPS | ensemble | price before kick-off | closing | blend − closing (95%) | blend − earlier price (95%) |',
      '| --- | --- | --: | --: | --: | --: | --: | --: | --- | --- |',
    );
    for (const r of studies) {
      const m = r.marketInformed!;
      const interval = (d: typeof m.vsClosing) => `${signed(d.mean)} (${signed(d.low)} to ${signed(d.high)})`;
      lines.push(
        `| ${r.competition} | ${m.from}–${m.to} | ${m.blend.matches} | ${m.marketWeight.toFixed(2)} | ${md4(m.blend.rps)} | ` +
          `${md4(m.ensemble.rps)} | ${md4(m.early.rps)} | ${md4(m.closing.rps)} | ${interval(m.vsClosing)} | ${interval(m.vsEarly)} |`,
      );
    }
  }
  for (const r of reports) {
    const base = `${r.competition}-${r.from.slice(0, 4)}-${Number(r.to.slice(0, 4)) + 1}`;
    lines.push('', `## ${r.competition} ${r.from}–${r.to}`, '');
    lines.push(`Report [${base}.json](${base}.json), reliability diagram [${base}.svg](${base}.svg).`, '');
    lines.push('| forecast | version | RPS | Brier | log loss | accuracy | ECE | mean draw | RPS / market |');
    lines.push('| --- | --- | --: | --: | --: | --: | --: | --: | --: |');
    for (const n of names) {
      const m = r.models[n];
      lines.push(
        `| ${n} | ${m.version} | ${md4(m.rps)} | ${md4(m.brier)} | ${md4(m.logLoss)} | ${md4(m.accuracy)} | ` +
          `${md4(m.ece)} | ${r.draws.predicted[n].toFixed(3)} | ${md4(r.ratio[n])} |`,
      );
    }
    if (r.market) {
      const m = r.market;
      lines.push(
        `| market | – | ${md4(m.rps)} | ${md4(m.brier)} | ${md4(m.logLoss)} | ${md4(m.accuracy)} | ${md4(m.ece)} | – | 1.0000 |`,
      );
    }
    lines.push('', `Observed draw rate ${r.draws.observed.toFixed(3)}. RPS by season:`, '');
    lines.push(`| season | matches | ${names.join(' | ')} | market |`);
    lines.push(`| --- | --: | ${names.map(() => '--:').join(' | ')} | --: |`);
    for (const s of r.seasons) {
      lines.push(
        `| ${s.season} | ${s.matches} | ${names.map((n) => md4(s.models[n].rps)).join(' | ')} | ${md4(s.market?.rps)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
