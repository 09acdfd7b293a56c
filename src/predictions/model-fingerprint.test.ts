import { describe, expect, it } from 'vitest';
import { MODEL_VERSIONS } from './engine';
import { forecastFingerprint, readVersionLock } from './model-fingerprint';

describe('model versions', () => {
  it('are recorded for the current forecasting code (change the code: bump versions, run `npm run models:lock`)', () => {
    const entry = readVersionLock().find((e) => e.fingerprint === forecastFingerprint());
    expect(entry, 'forecasting code changed without `npm run models:lock`').toBeDefined();
    expect(entry!.versions).toEqual(MODEL_VERSIONS);
  });

  it('never reuses one set of versions for two different codes', () => {
    const seen = readVersionLock().map((e) => JSON.stringify(e.versions));
    expect(new Set(seen).size).toBe(seen.length);
  });
});
