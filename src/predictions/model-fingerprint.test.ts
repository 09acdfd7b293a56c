import { describe, expect, it } from 'vitest';
import { MODEL_VERSIONS } from './engine';
import { IN_PLAY_MODEL } from './in-play.service';
import { modelFingerprint, readVersionLock } from './model-fingerprint';

const versions: Record<string, string> = { ...MODEL_VERSIONS, [IN_PLAY_MODEL.name]: IN_PLAY_MODEL.version };

describe('model versions', () => {
  it.each(Object.entries(versions))(
    '%s %s stands for the current code (after a change: bump the version, `npm run models:lock`)',
    (name, version) => {
      const recorded = readVersionLock()[name]?.[version];
      expect(recorded, `${name} ${version} is not recorded: run npm run models:lock`).toBeDefined();
      expect(modelFingerprint(name as Parameters<typeof modelFingerprint>[0])).toBe(recorded);
    },
  );
});
