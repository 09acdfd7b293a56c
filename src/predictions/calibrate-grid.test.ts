import { describe, expect, it } from 'vitest';
import { calibrateGridTo1x2 } from './calibrate-grid';
import { outcome1x2, scoreGrid } from './models';

describe('calibrateGridTo1x2', () => {
  it('moves the grid to the target 1X2 and keeps shapes within each region', () => {
    const grid = scoreGrid(1.6, 1.1);
    const target = { home: 0.5, draw: 0.3, away: 0.2 };
    const calibrated = calibrateGridTo1x2(grid, target);
    const result = outcome1x2(calibrated);
    expect(result.home).toBeCloseTo(0.5, 12);
    expect(result.draw).toBeCloseTo(0.3, 12);
    expect(result.away).toBeCloseTo(0.2, 12);
    // Within the draw region the ratio 0-0 : 1-1 is unchanged.
    expect(calibrated[0]![0]! / calibrated[1]![1]!).toBeCloseTo(grid[0]![0]! / grid[1]![1]!, 12);
  });
});
