import { NOT_A_RESULT_SOURCES } from '../matches/event-sources';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HistoricalMatch } from './engine';

/** Every finished match in the database, oldest first, as the forecaster's training data. */
export async function loadHistory(em: EntityManager, before: Date): Promise<HistoricalMatch[]> {
  const rows: {
    kickoff: string | Date;
    competition: string;
    home: string;
    away: string;
    home_goals: number;
    away_goals: number;
    home_shots: number | null;
    away_shots: number | null;
    home_shots_on_target: number | null;
    away_shots_on_target: number | null;
  }[] = await em.getConnection().execute(
    `select m.kickoff, c.code as competition, h.name as home, a.name as away, m.home_goals, m.away_goals,
            m.home_shots, m.away_shots, m.home_shots_on_target, m.away_shots_on_target
       from match m
       join season s on s.id = m.season_id
       join competition c on c.id = s.competition_id
       join team h on h.id = m.home_team_id
       join team a on a.id = m.away_team_id
      where m.status = 'FINISHED' and m.home_goals is not null and m.away_goals is not null and m.kickoff < ?
        and not exists (select 1 from match_event e where e.match_id = m.id and e.source in (?))
      order by m.kickoff, m.id`,
    [before, NOT_A_RESULT_SOURCES],
  );
  return rows.map((r) => ({
    date: new Date(r.kickoff),
    competition: r.competition,
    home: r.home,
    away: r.away,
    homeGoals: r.home_goals,
    awayGoals: r.away_goals,
    homeShots: r.home_shots,
    awayShots: r.away_shots,
    homeShotsOnTarget: r.home_shots_on_target,
    awayShotsOnTarget: r.away_shots_on_target,
  }));
}
