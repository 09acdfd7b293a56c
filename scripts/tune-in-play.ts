/**
 * The in-play model's goal-time profile, fitted on seasons before 2012/13 only: the share of a
 * match's goals scored in the first half (stoppage included), from half-time and full-time
 * scores, per league and pooled. Prints what it found; the pooled share is the one to put in
 * MODEL_SETTINGS.inPlay.firstHalfShare.
 *
 *   npm run tune:in-play -- [--data ../shared/data] [--before 2012/13]
 */
import { parseArgs } from 'node:util';
import { firstHalfGoalShare } from '../src/predictions/models';
import { LEAGUES, loadBacktestMatches } from './backtest';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      before: { type: 'string', default: '2012/13' },
      help: { type: 'boolean', default: false },
    },
  });
  const usage = 'usage: npm run tune:in-play -- [--data ../shared/data] [--before 2012/13]';
  if (values.help) {
    console.log(usage);
    return;
  }
  // Seasons compare as text ("2011/12" < "2012/13"): anything but a season label would pick others.
  if (!/^\d{4}\/\d{2}$/.test(values.before)) {
    console.error(`--before must be a season such as 2012/13, not "${values.before}"\n${usage}`);
    process.exit(2);
  }
  const pooled: { halfTimeGoals: number; fullTimeGoals: number }[] = [];
  console.log('league           matches  first-half share');
  for (const league of LEAGUES) {
    const { matches } = await loadBacktestMatches(values.data, league);
    const rows = matches
      .filter((m) => m.season < values.before && m.halfTime)
      .map((m) => ({ halfTimeGoals: m.halfTime!.home + m.halfTime!.away, fullTimeGoals: m.homeGoals + m.awayGoals }));
    pooled.push(...rows);
    console.log(`${league.padEnd(15)}  ${String(rows.length).padStart(7)}  ${firstHalfGoalShare(rows).toFixed(4)}`);
  }
  console.log(`${'pooled'.padEnd(15)}  ${String(pooled.length).padStart(7)}  ${firstHalfGoalShare(pooled).toFixed(4)}`);
  if (pooled.length === 0) throw new Error(`no finished match with a half-time score before ${values.before}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
