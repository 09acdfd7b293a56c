// npm run models:lock — records each model's current code under its current version.
import fs from 'node:fs';
import {
  modelFingerprint,
  readVersionLock,
  servedVersions,
  VERSION_LOCK_FILE,
  type FingerprintedModel,
} from '../src/predictions/model-fingerprint';

const lock = readVersionLock();
const versions = servedVersions();
const stale: string[] = [];
for (const [name, version] of Object.entries(versions)) {
  const fingerprint = modelFingerprint(name as FingerprintedModel);
  const recorded = lock[name]?.[version];
  if (recorded && recorded !== fingerprint) stale.push(`${name} ${version}`);
  else (lock[name] ??= {})[version] = fingerprint;
}
if (stale.length) {
  console.error(
    `The code of ${stale.join(', ')} changed since that version was recorded: bump these versions ` +
      '(MODEL_VERSIONS in src/predictions/engine/config.ts, IN_PLAY_MODEL in src/predictions/in-play.service.ts, MARKET_INFORMED in src/predictions/market-informed.ts), ' +
      're-run `npm run backtest`, then run this again.',
  );
  process.exit(1);
}
fs.writeFileSync(VERSION_LOCK_FILE, `${JSON.stringify(lock, null, 2)}\n`);
console.log('model versions recorded');
