import bundesliga from '../../docs/backtest/bundesliga-2012-2025.json';
import laLiga from '../../docs/backtest/la-liga-2012-2025.json';
import ligue1 from '../../docs/backtest/ligue-1-2012-2025.json';
import premierLeague from '../../docs/backtest/premier-league-2012-2025.json';
import serieA from '../../docs/backtest/serie-a-2012-2025.json';
import { ENSEMBLE, MODEL_NAMES, MODEL_VERSIONS, type EnsembleWeights, type ModelName } from './engine';

/** What the service reads of a committed backtest report (`npm run backtest -- --all`). */
export interface BacktestReport {
  matches: number;
  competition: string;
  from: string;
  to: string;
  models: Record<
    string,
    { version: string; rps: number; brier: number; logLoss: number; accuracy: number; ece: number }
  >;
  market: { rps: number };
  /** The stacker learned for the report's last season: what the service predicts with. */
  ensembleWeights?: EnsembleWeights;
  marketInformed: {
    from: string;
    to: string;
    marketWeight: number;
    blend: { matches: number; rps: number; brier: number; logLoss: number; accuracy: number; ece: number };
    closing: { rps: number };
  } | null;
}

/** The committed report of each competition that has one, by competition code. */
export const BACKTEST_REPORTS: Readonly<Record<string, BacktestReport>> = Object.fromEntries(
  [premierLeague, laLiga, serieA, bundesliga, ligue1].map((report) => [
    report.competition,
    report as unknown as BacktestReport,
  ]),
);

/** The report the API's model listings and the market-informed weight come from (the only league with earlier prices). */
export const REFERENCE_REPORT: BacktestReport = BACKTEST_REPORTS['premier-league']!;

/**
 * The ensemble weights to serve a competition's forecasts with: the stacker its own backtest
 * learned (each league's base rates differ: Serie A draws more than the Premier League), or, for a
 * competition without a report, the mean of those that have one. Undefined when no report was
 * made with the current ensemble version (the forecaster then averages the base models).
 */
export function servedEnsembleWeights(
  competition: string,
  reports: Readonly<Record<string, BacktestReport>> = BACKTEST_REPORTS,
): EnsembleWeights | undefined {
  const current = (report: BacktestReport | undefined) =>
    report?.models[ENSEMBLE]?.version === MODEL_VERSIONS[ENSEMBLE] ? report.ensembleWeights : undefined;
  const own = reports[competition];
  if (own) return current(own);
  const learned = Object.values(reports).flatMap((report) => current(report) ?? []);
  return learned.length ? meanWeights(learned) : undefined;
}

function meanWeights(list: readonly EnsembleWeights[]): EnsembleWeights {
  const mean = (of: (w: EnsembleWeights) => number) => list.reduce((sum, w) => sum + of(w), 0) / list.length;
  const coefficients = Object.fromEntries(
    MODEL_NAMES.map((name) => [name, mean((w) => w.coefficients[name] ?? 0)]),
  ) as Record<ModelName, number>;
  return {
    kind: 'stacked-logit',
    coefficients,
    cutAway: mean((w) => w.cutAway),
    cutHome: mean((w) => w.cutHome),
    trainedOn: list.reduce((sum, w) => sum + w.trainedOn, 0),
  };
}
