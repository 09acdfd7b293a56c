import { describe, expect, it } from 'vitest';
import { modelFingerprint, readVersionLock, servedVersions, type FingerprintedModel } from './model-fingerprint';

const versions = servedVersions();

describe('model versions', () => {
  it.each(Object.entries(versions))(
    '%s %s stands for the current code (after a change: bump the version, `npm run models:lock`)',
    (name, version) => {
      const recorded = readVersionLock()[name]?.[version];
      expect(recorded, `${name} ${version} is not recorded: run npm run models:lock`).toBeDefined();
      expect(modelFingerprint(name as FingerprintedModel)).toBe(recorded);
    },
  );
});
