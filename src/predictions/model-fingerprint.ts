import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BACKTEST_REPORTS } from './backtest-reports';
import { MODEL_NAMES, MODEL_SETTINGS, MODEL_VERSIONS, type ForecastName } from './engine';
import { IN_PLAY_MODEL } from './in-play.service';
import { MARKET_INFORMED } from './market-informed';

const root = path.resolve(__dirname);

// Sources and settings that decide each model's forecasts; shared ones count for every model.
const SHARED = ['models/types.ts', 'models/optim.ts', 'models/score-grid.ts', 'engine/forecaster.ts'];
const SOURCES: Record<FingerprintedModel, { files: string[]; settings: unknown }> = {
  'dixon-coles': {
    files: ['models/dixon-coles.ts'],
    settings: [MODEL_SETTINGS.dixonColes, MODEL_SETTINGS.fitTolerance],
  },
  'shots-poisson': {
    files: ['models/shot-proxy.ts', 'models/dixon-coles.ts', 'models/ordered-logit.ts'],
    settings: [MODEL_SETTINGS.shotsPoisson, MODEL_SETTINGS.fitTolerance],
  },
  elo: { files: ['models/elo.ts', 'models/ordered-logit.ts'], settings: MODEL_SETTINGS.elo },
  'pi-ratings': { files: ['models/pi-ratings.ts', 'models/ordered-logit.ts'], settings: MODEL_SETTINGS.pi },
  ensemble: {
    files: ['models/stacked-logit.ts', 'models/ensemble.ts', 'engine/ensemble.ts', 'engine/score-rates.ts'],
    // The served stacking weights (each competition's) are part of the ensemble, as much as its code.
    settings: [
      MODEL_SETTINGS.ensemble,
      Object.entries(BACKTEST_REPORTS).map(([competition, report]) => [competition, report.ensembleWeights]),
    ],
  },
  'in-play': { files: ['models/in-play.ts', 'in-play.service.ts'], settings: MODEL_SETTINGS.inPlay },
  // Its pool of the ensemble's row (not its code: the ensemble has its own version) with the prices.
  'market-informed': {
    files: ['market-informed.ts', 'market-informed.service.ts', 'market-prices.ts'],
    settings: MARKET_INFORMED.marketWeight,
  },
};

/** A model whose version `versions.lock.json` ties to its code. */
export type FingerprintedModel = ForecastName | 'in-play' | 'market-informed';

/** The version of every model the service stores predictions of. */
export function servedVersions(): Record<FingerprintedModel, string> {
  return {
    ...MODEL_VERSIONS,
    [IN_PLAY_MODEL.name]: IN_PLAY_MODEL.version,
    [MARKET_INFORMED.name]: MARKET_INFORMED.version,
  };
}

/**
 * SHA-256 of what decides a model's forecasts: its source files (whitespace ignored), the shared
 * ones and its settings; the ensemble's also covers every base model. `versions.lock.json`
 * records one fingerprint per (model, version), so a change forces that model's version bump.
 */
export function modelFingerprint(name: FingerprintedModel): string {
  const hash = createHash('sha256');
  const { files, settings } = SOURCES[name];
  for (const file of [...SHARED, ...files]) {
    hash.update(`${file}\n`);
    hash.update(fs.readFileSync(path.join(root, file), 'utf8').replace(/\s+/g, ''));
  }
  hash.update(JSON.stringify({ settings, thinHistory: MODEL_SETTINGS.thinHistory }));
  if (name === 'ensemble') for (const base of MODEL_NAMES) hash.update(modelFingerprint(base));
  return hash.digest('hex');
}

/** model → version → fingerprint of the code that version stands for. */
export type VersionLock = Record<string, Record<string, string>>;

export const VERSION_LOCK_FILE = path.join(root, 'versions.lock.json');

export function readVersionLock(): VersionLock {
  return fs.existsSync(VERSION_LOCK_FILE)
    ? (JSON.parse(fs.readFileSync(VERSION_LOCK_FILE, 'utf8')) as VersionLock)
    : {};
}
