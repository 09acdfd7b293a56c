import report from '../../docs/backtest/premier-league-2012-2025.json';
import { ENSEMBLE, MODEL_NAMES, MODEL_VERSIONS, type EnsembleWeights } from './engine';
import { IN_PLAY_MODEL } from './in-play.service';

/** Scores of one model version in the committed walk-forward backtest (`npm run backtest`). */
export interface BacktestSummary {
  competition: string;
  from: string;
  to: string;
  matches: number;
  rps: number;
  brier: number;
  logLoss: number;
  accuracy: number;
  ece: number;
  /** The closing market's RPS on the same matches. */
  marketRps: number;
}

export interface RegisteredModel {
  name: string;
  version: string;
  /** Null when the committed backtest was run with another version of the model. */
  backtest: BacktestSummary | null;
}

interface BacktestReport {
  matches: number;
  competition: string;
  from: string;
  to: string;
  models: Record<
    string,
    { version: string; rps: number; brier: number; logLoss: number; accuracy: number; ece: number }
  >;
  market: { rps: number };
  ensembleWeights?: EnsembleWeights;
}

const backtest = report as unknown as BacktestReport;

/** Every model the service predicts with: the pre-match ones, the ensemble, then in-play. */
export function registeredModels(): RegisteredModel[] {
  const preMatch = [...MODEL_NAMES, ENSEMBLE].map((name) => {
    const version = MODEL_VERSIONS[name];
    const scored = backtest.models[name];
    return {
      name,
      version,
      backtest:
        scored && scored.version === version
          ? {
              competition: backtest.competition,
              from: backtest.from,
              to: backtest.to,
              matches: backtest.matches,
              rps: scored.rps,
              brier: scored.brier,
              logLoss: scored.logLoss,
              accuracy: scored.accuracy,
              ece: scored.ece,
              marketRps: backtest.market.rps,
            }
          : null,
    };
  });
  // The in-play model is not backtested: the data has no in-play states to score it on.
  return [...preMatch, { name: IN_PLAY_MODEL.name, version: IN_PLAY_MODEL.version, backtest: null }];
}

/** Ensemble weights learned by the committed backtest, if it ran with the current ensemble version. */
export function ensembleWeightsFromReport(): EnsembleWeights | undefined {
  return backtest.models[ENSEMBLE]?.version === MODEL_VERSIONS[ENSEMBLE] ? backtest.ensembleWeights : undefined;
}
