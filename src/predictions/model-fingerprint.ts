import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Code that decides what a forecast is: a change here changes predictions. */
const FORECAST_SOURCES = {
  models: (file: string) =>
    !/\.test\.ts$/.test(file) && !['metrics.ts', 'odds.ts', 'in-play.ts', 'index.ts'].includes(file),
  engine: (file: string) => ['config.ts', 'forecaster.ts', 'ensemble.ts', 'score-rates.ts'].includes(file),
} as const;

/**
 * SHA-256 of the forecasting source files (whitespace ignored). `versions.lock.json` maps each
 * fingerprint to the model versions it shipped with, so code changes force a version bump.
 */
export function forecastFingerprint(root = path.resolve(__dirname)): string {
  const hash = createHash('sha256');
  for (const [folder, include] of Object.entries(FORECAST_SOURCES)) {
    const dir = path.join(root, folder);
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && include(f))
      .sort()) {
      hash.update(`${folder}/${file}\n`);
      hash.update(fs.readFileSync(path.join(dir, file), 'utf8').replace(/\s+/g, ''));
    }
  }
  return hash.digest('hex');
}

export interface VersionLockEntry {
  fingerprint: string;
  versions: Record<string, string>;
}

export const VERSION_LOCK_FILE = path.resolve(__dirname, 'versions.lock.json');

export function readVersionLock(): VersionLockEntry[] {
  return fs.existsSync(VERSION_LOCK_FILE)
    ? (JSON.parse(fs.readFileSync(VERSION_LOCK_FILE, 'utf8')) as VersionLockEntry[])
    : [];
}
