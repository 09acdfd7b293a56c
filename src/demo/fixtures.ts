import type { EntityManager } from '@mikro-orm/postgresql';
import { Competition } from '../competitions/competition.entity';
import { Season } from '../competitions/season.entity';
import { Match } from '../matches/match.entity';
import { MatchStatus } from '../matches/match.enums';
import { Team } from '../teams/team.entity';

const DAY_MS = 86_400_000;

/** Season label (e.g. `2026/27`) of a date; seasons start in July. */
export function seasonLabelFor(date: Date): string {
  const start = date.getUTCMonth() >= 6 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * When no match is scheduled after `now`, pairs up the teams of the latest Premier League
 * season into one round kicking off in two days, so the demo has fixtures to predict and watch.
 * Returns how many matches it created.
 */
export async function scheduleDemoFixtures(em: EntityManager, now: Date): Promise<number> {
  if ((await em.count(Match, { status: MatchStatus.SCHEDULED, kickoff: { $gt: now } })) > 0) return 0;
  const competition = await em.findOne(Competition, { code: 'premier-league' });
  if (!competition) return 0;
  const latest = await em.findOne(Season, { competition }, { orderBy: { startDate: 'desc' } });
  if (!latest) return 0;
  const teamIds: { team_id: number }[] = await em
    .getConnection()
    .execute(
      `select distinct home_team_id as team_id from match where season_id = ? order by 1`,
      [latest.id],
      'all',
      em.getTransactionContext(),
    );
  const label = seasonLabelFor(now);
  const startYear = Number(label.slice(0, 4));
  const season =
    (await em.findOne(Season, { competition, label })) ??
    em.create(Season, { competition, label, startDate: `${startYear}-08-01`, endDate: `${startYear + 1}-05-31` });
  const kickoff = new Date(Math.ceil((now.getTime() + 2 * DAY_MS) / DAY_MS) * DAY_MS + 15 * 3_600_000);
  let created = 0;
  for (let i = 0; i + 1 < teamIds.length; i += 2) {
    const homeTeam = em.getReference(Team, teamIds[i]!.team_id);
    const awayTeam = em.getReference(Team, teamIds[i + 1]!.team_id);
    if (await em.findOne(Match, { season, homeTeam, awayTeam })) continue;
    em.create(Match, { season, homeTeam, awayTeam, kickoff });
    created += 1;
  }
  return created;
}
