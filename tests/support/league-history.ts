import { MatchStatus } from '../../src/matches/match.enums';
import type { League, MatchSpec } from './factories';

/**
 * A season of results in which lower-numbered teams are stronger (0 strongest), all played in
 * the 120 days before now, for models to be fitted on; `skip` leaves fixtures out.
 */
export function playedSeason(league: League, skip: (home: number, away: number) => boolean): MatchSpec[] {
  const specs: MatchSpec[] = [];
  league.teams.forEach((home, hi) =>
    league.teams.forEach((away, ai) => {
      if (hi === ai || skip(hi, ai)) return;
      const edge = ai - hi; // positive when the home side is stronger
      specs.push({
        home: home.id,
        away: away.id,
        kickoff: new Date(Date.now() - (120 - specs.length) * 86_400_000), // all before now
        status: MatchStatus.FINISHED,
        homeGoals: Math.max(0, 1 + Math.round(edge / 2)),
        awayGoals: Math.max(0, 1 - Math.round(edge / 2)),
        homeShotsOnTarget: Math.max(1, 5 + edge),
        awayShotsOnTarget: Math.max(1, 4 - edge),
      });
    }),
  );
  return specs;
}
