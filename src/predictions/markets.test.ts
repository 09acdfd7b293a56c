import { describe, expect, it } from 'vitest';
import { marketsFromGrid } from './markets';
import {
  asianHandicap,
  bothTeamsToScore,
  inPlayPrediction,
  overUnder,
  scoreGrid,
  topScores,
  type ReadonlyScoreGrid,
} from './models';

// The markets read distributions of total goals and goal difference; they must settle exactly
// as the score-grid functions do on the full grid.
function settledOnFullGrid(grid: ReadonlyScoreGrid, markets: ReturnType<typeof marketsFromGrid>) {
  const shares = [...markets.overUnder, ...markets.asianHandicap].flatMap(({ line: _, ...share }) =>
    Object.values(share),
  );
  for (const share of shares) expect(share).toSatisfy((p: number) => p >= 0 && p <= 1);
  for (const { line, over, under } of markets.overUnder) {
    const full = overUnder(grid, line);
    expect(over).toBeCloseTo(full.over.win, 12);
    expect(under).toBeCloseTo(full.under.win, 12);
  }
  for (const { line, home, push, away } of markets.asianHandicap) {
    const full = asianHandicap(grid, line);
    expect(home).toBeCloseTo(full.home.win, 12);
    expect(push).toBeCloseTo(full.home.push, 12);
    expect(away).toBeCloseTo(full.away.win, 12);
  }
  const both = bothTeamsToScore(grid);
  expect(markets.bothTeamsToScore.yes).toBeCloseTo(both.yes, 15);
  expect(markets.bothTeamsToScore.no).toBeCloseTo(both.no, 15);
  expect(markets.topScores).toEqual(
    topScores(grid, 5).map((s) => ({ homeGoals: s.home, awayGoals: s.away, probability: s.probability })),
  );
}

describe('marketsFromGrid', () => {
  it.each([
    ['a pre-match grid', scoreGrid(1.7, 1.1, { rho: -0.08 })],
    ['an away favourite', scoreGrid(0.6, 2.4)],
    [
      'an in-play grid at 3-2 (the remaining goals shifted by the score)',
      inPlayPrediction({ homeRate: 1.6, awayRate: 1.1, rho: -0.05 }, { minute: 70, homeGoals: 3, awayGoals: 2 })
        .finalGrid,
    ],
    [
      'two scores tied at the top',
      [
        [0.2, 0.3],
        [0.3, 0.2],
      ],
    ],
    ['a ragged grid (rows of other lengths)', [[0.1, 0.2, 0.05], [0.3], [0.15, 0.1, 0.05, 0.05]]],
    [
      'a settled 2-1',
      [
        [0, 0],
        [0, 0],
        [0, 1],
      ],
    ],
    [
      'a nearly settled 1-0 (rounding dust elsewhere)',
      [
        [3e-17, 1e-17],
        [1 - 7e-17, 2e-17],
        [1e-17, 1e-17],
      ],
    ],
  ])('settles every line as the full score grid does: %s', (_, grid) => {
    settledOnFullGrid(grid, marketsFromGrid(grid));
  });

  it('gives certain answers for a finished score', () => {
    const markets = marketsFromGrid([
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
    expect(markets.overUnder.find((l) => l.line === 2.5)).toMatchObject({ over: 1, under: 0 });
    expect(markets.asianHandicap.find((l) => l.line === -1)).toMatchObject({ home: 0, push: 1, away: 0 });
    expect(markets.asianHandicap.find((l) => l.line === -0.5)).toMatchObject({ home: 1, away: 0 });
  });
});
