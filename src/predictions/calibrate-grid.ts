import type { Probabilities1x2, ReadonlyScoreGrid, ScoreGrid } from './models';

/**
 * Rescales a score grid's home-win, draw and away-win regions so its 1X2 equals `target`,
 * keeping each region's shape: markets from an ensemble then agree with its 1X2.
 */
export function calibrateGridTo1x2(grid: ReadonlyScoreGrid, target: Probabilities1x2): ScoreGrid {
  const mass = { home: 0, draw: 0, away: 0 };
  grid.forEach((row, h) => row.forEach((p, a) => (mass[regionOf(h, a)] += p)));
  return grid.map((row, h) =>
    row.map((p, a) => {
      const region = regionOf(h, a);
      return mass[region] > 0 ? (p * target[region]) / mass[region] : 0;
    }),
  );
}

function regionOf(home: number, away: number): keyof Probabilities1x2 {
  return home > away ? 'home' : home < away ? 'away' : 'draw';
}
