import { REFERENCE_REPORT } from './backtest-reports';
import { ENSEMBLE, MODEL_NAMES, MODEL_VERSIONS } from './engine';
import { IN_PLAY_MODEL } from './in-play.service';
import { MARKET_INFORMED } from './market-informed';

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

const backtest = REFERENCE_REPORT;

/** Every model the service predicts with: the pre-match ones, the ensemble, the market-informed forecast, then in-play. */
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
  const study = backtest.marketInformed;
  const marketInformed: RegisteredModel = {
    name: MARKET_INFORMED.name,
    version: MARKET_INFORMED.version,
    // Scored on the seasons the pool's weight was learned walk-forward for, against the closing price.
    backtest: study
      ? {
          competition: backtest.competition,
          from: study.from,
          to: study.to,
          matches: study.blend.matches,
          rps: study.blend.rps,
          brier: study.blend.brier,
          logLoss: study.blend.logLoss,
          accuracy: study.blend.accuracy,
          ece: study.blend.ece,
          marketRps: study.closing.rps,
        }
      : null,
  };
  // The in-play model is not backtested: the data has no in-play states to score it on.
  return [...preMatch, marketInformed, { name: IN_PLAY_MODEL.name, version: IN_PLAY_MODEL.version, backtest: null }];
}
