import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBacktestMatches } from '../../../scripts/backtest';

const dataDir = path.resolve(__dirname, '../../../../shared/data');

// Only where the shared football data is checked out beside the repo (it is not part of it).
describe.skipIf(!existsSync(path.join(dataDir, 'results', 'premier-league')))(
  'backtest data loading (shared data)',
  () => {
    it('joins Pinnacle closing odds to every EPL match 2012/13–2024/25', async () => {
      const { matches, unmatched } = await loadBacktestMatches(dataDir, 'premier-league');
      const range = matches.filter((m) => m.season >= '2012/13' && m.season <= '2024/25');
      expect(range).toHaveLength(4940);
      expect(range.every((m) => m.market !== null)).toBe(true);
      expect(unmatched).toBe(0);
      for (const m of range.slice(0, 50)) {
        expect(m.market!.home + m.market!.draw + m.market!.away).toBeCloseTo(1, 12);
        expect(m.homeShotsOnTarget).not.toBeNull();
      }
    });
  },
);
