// npm run models:lock — records the current forecasting code under the current model versions.
import fs from 'node:fs';
import { MODEL_VERSIONS } from '../src/predictions/engine';
import { forecastFingerprint, readVersionLock, VERSION_LOCK_FILE } from '../src/predictions/model-fingerprint';

const fingerprint = forecastFingerprint();
const lock = readVersionLock();
const versions = { ...MODEL_VERSIONS };
const same = (a: Record<string, string>) => JSON.stringify(a) === JSON.stringify(versions);
const existing = lock.find((entry) => entry.fingerprint === fingerprint);
if (existing) {
  if (!same(existing.versions)) throw new Error('this code is already recorded under other versions');
  console.log('up to date');
} else if (lock.some((entry) => same(entry.versions))) {
  console.error(
    'The forecasting code changed but MODEL_VERSIONS did not: bump the version of each model whose ' +
      'predictions change (and the ensemble) in src/predictions/engine/config.ts, then run this again.',
  );
  process.exit(1);
} else {
  lock.push({ fingerprint, versions });
  fs.writeFileSync(VERSION_LOCK_FILE, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`recorded ${fingerprint.slice(0, 12)} as ${JSON.stringify(versions)}`);
}
