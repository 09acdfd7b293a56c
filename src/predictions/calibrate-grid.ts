import type { Probabilities1x2, ReadonlyScoreGrid, ScoreGrid } from './models';

/**
 * Rescales a score grid's home-win, draw and away-win regions so its 1X2 equals `target`,
 * keeping each region's shape: markets from an ensemble then agree with its 1X2.
 */
export function calibrateGridTo1x2(grid: ReadonlyScoreGrid, target: Probabilities1x2): ScoreGrid {
  const mass = regionMass(grid);
  return scaleRegions(grid, {
    home: mass.home > 0 ? target.home / mass.home : 0,
    draw: mass.draw > 0 ? target.draw / mass.draw : 0,
    away: mass.away > 0 ? target.away / mass.away : 0,
  });
}

/**
 * Applies the region factors that took `raw` to `target` before kick-off, raised to `strength`
 * (1: all of them, 0: none), then renormalises: in play, the ensemble's pre-match adjustment of
 * the goal model fades as the remaining time does.
 */
export function carryCalibration(
  grid: ReadonlyScoreGrid,
  raw: Probabilities1x2,
  target: Probabilities1x2,
  strength: number,
): ScoreGrid {
  const factor = (k: keyof Probabilities1x2) => (raw[k] > 0 && target[k] > 0 ? (target[k] / raw[k]) ** strength : 1);
  const scaled = scaleRegions(grid, { home: factor('home'), draw: factor('draw'), away: factor('away') });
  const total = scaled.reduce((sum, row) => row.reduce((s, p) => s + p, sum), 0);
  return scaled.map((row) => row.map((p) => p / total));
}

function regionMass(grid: ReadonlyScoreGrid): Probabilities1x2 {
  const mass = { home: 0, draw: 0, away: 0 };
  grid.forEach((row, h) => row.forEach((p, a) => (mass[regionOf(h, a)] += p)));
  return mass;
}

function scaleRegions(grid: ReadonlyScoreGrid, factors: Probabilities1x2): ScoreGrid {
  return grid.map((row, h) => row.map((p, a) => p * factors[regionOf(h, a)]));
}

function regionOf(home: number, away: number): keyof Probabilities1x2 {
  return home > away ? 'home' : home < away ? 'away' : 'draw';
}
