/**
 * Test-only: synthetic seasons of dated matches with shots on target and season labels, built on the
 * models' synthetic-league generator. Not exported from the engine index.
 */
import { generateLeague, mulberry32, randomTeams, type SyntheticTeam } from '../../models/testing/synthetic';
import type { BacktestMatch } from '../backtest';

const DAY_MS = 86_400_000;

/** '2001/02' for 2001. */
export const seasonLabel = (year: number): string => `${year}/${String((year + 1) % 100).padStart(2, '0')}`;

/** Options for {@link syntheticSeasons}. */
export interface SyntheticSeasonsSpec {
  /** Seasons to generate, the first starting in August of `firstYear` (default 2001). */
  seasons: number;
  firstYear?: number;
  teams?: number;
  seed?: number;
  competition?: string;
  /** In each season from the second on, this many teams are replaced by newly named (promoted) ones (default 0). */
  promotedPerSeason?: number;
}

/**
 * Double round-robin seasons of Dixon-Coles scores; shots on target = goals + a few misses, so
 * the proxy carries signal. Promoted teams get fresh names (`P<season>-<i>`) and weak ratings.
 */
export function syntheticSeasons(spec: SyntheticSeasonsSpec): BacktestMatch[] {
  const rng = mulberry32(spec.seed ?? 1);
  const firstYear = spec.firstYear ?? 2001;
  let teams: SyntheticTeam[] = randomTeams(spec.teams ?? 8, rng, 0.3);
  const out: BacktestMatch[] = [];
  for (let s = 0; s < spec.seasons; s++) {
    if (s > 0) {
      for (let i = 0; i < (spec.promotedPerSeason ?? 0); i++) {
        const weakest = teams.reduce(
          (w, t, j) => (t.attack + t.defence < teams[w]!.attack + teams[w]!.defence ? j : w),
          0,
        );
        teams = teams.map((t, j) => (j === weakest ? { name: `P${s}-${i}`, attack: -0.25, defence: -0.25 } : t));
      }
    }
    const start = Date.UTC(firstYear + s, 7, 10) / DAY_MS;
    const league = generateLeague({
      teams,
      intercept: 0.1,
      homeAdvantage: 0.25,
      rho: -0.05,
      seasons: 1,
      startDay: start,
      rng,
    });
    for (const m of league) {
      out.push({
        date: new Date((m.date as number) * DAY_MS + 15 * 3_600_000),
        competition: spec.competition ?? 'test-league',
        season: seasonLabel(firstYear + s),
        home: m.home,
        away: m.away,
        homeGoals: m.homeGoals,
        awayGoals: m.awayGoals,
        homeShotsOnTarget: m.homeGoals + Math.floor(rng() * 4),
        awayShotsOnTarget: m.awayGoals + Math.floor(rng() * 3),
        market: null,
      });
    }
  }
  return out;
}
