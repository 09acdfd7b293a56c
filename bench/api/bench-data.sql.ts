/** The EPL season both HTTP scenarios read (one with bookmaker odds). */
export const BENCH_COMPETITION = 'premier-league';
export const BENCH_SEASON = '2023/24';

/** Id of the match the single-match scenario reads: the season's first by kick-off. */
export const SCENARIO_MATCH_ID_SQL = `
  select m.id from match m
    join season s on s.id = m.season_id
    join competition c on c.id = s.competition_id
   where c.code = '${BENCH_COMPETITION}' and s.label = '${BENCH_SEASON}'
   order by m.kickoff, m.id limit 1`;

/**
 * Five predictions per match from distinct models, an hour apart before kick-off (the ensemble
 * last, so it is the latest), each with markets. The numbers are arbitrary but satisfy the
 * table's checks: probabilities in [0, 1] summing to 1, non-negative expected goals.
 */
export const STORED_PREDICTIONS_SQL = `
  insert into prediction (match_id, model_name, model_version, home_win, draw, away_win,
                          expected_home_goals, expected_away_goals, created_at, markets)
  select m.id, model.name, '1.0.0-bench', p.home, p.draw, 1 - p.home - p.draw,
         p.home * 3, (1 - p.home - p.draw) * 3, m.kickoff - model.hours_before * interval '1 hour',
         jsonb_build_object(
           'overUnder', (select jsonb_agg(jsonb_build_object('line', l.line, 'over', 1 - l.under, 'under', l.under))
                           from (select line, least(0.95, 0.08 + line * 0.2) as under
                                   from unnest(array[0.5, 1.5, 2.5, 3.5, 4.5]::float8[]) as line) l),
           'bothTeamsToScore', jsonb_build_object('yes', (0.5 + p.draw / 4)::float8, 'no', (0.5 - p.draw / 4)::float8),
           'asianHandicap', (select jsonb_agg(jsonb_build_object(
                                      'line', line, 'home', 0.45 - line / 10, 'push', 0.1, 'away', 0.45 + line / 10))
                               from unnest(array[-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]::float8[]) as line),
           'topScores', (select jsonb_agg(jsonb_build_object(
                                  'homeGoals', s.h, 'awayGoals', s.a, 'probability', (0.12 - s.rank * 0.01)::float8))
                           from (values (1, 1, 1), (1, 0, 2), (2, 1, 3), (0, 0, 4), (0, 1, 5)) as s(h, a, rank))
         )
    from match m
   cross join (values ('dixon-coles', 5), ('shots-poisson', 4), ('elo', 3), ('pi-ratings', 2), ('ensemble', 1))
         as model(name, hours_before)
   cross join lateral (select 0.30 + ((m.id * 37 + model.hours_before * 11) % 31) / 100.0 as home,
                              0.20 + ((m.id * 17 + model.hours_before * 7) % 11) / 100.0 as draw) p`;

/** Events of the single-match scenario's match (imported matches have none). */
export const SCENARIO_MATCH_EVENTS = `
  insert into match_event (match_id, type, minute, team_id, source, external_id, created_at)
  select m.id, e.type, e.minute,
         case e.side when 'home' then m.home_team_id when 'away' then m.away_team_id end,
         'bench', 'bench-' || e.minute || '-' || e.type, m.kickoff + e.minute * interval '1 minute'
    from match m
   cross join (values ('KICK_OFF', 0, null), ('GOAL', 23, 'home'), ('HALF_TIME', 45, null),
                      ('SECOND_HALF', 46, null), ('RED_CARD', 60, 'away'), ('GOAL', 71, 'away'),
                      ('OWN_GOAL', 80, 'home'), ('FULL_TIME', 90, null)) as e(type, minute, side)
   where m.id = (${SCENARIO_MATCH_ID_SQL})`;
