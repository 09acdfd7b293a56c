// Hand-written SQL for the raw baseline: one statement per request, building in PostgreSQL the
// exact JSON Matchcast returns for the same operation (global IDs, ISO dates, order of lists).

/**
 * A JSON object of SQL expressions. row_to_json rather than json_build_object because the latter
 * prints `"key" : value` with spaces (a sixth more bytes than Matchcast sends).
 */
const object = (fields: Record<string, string>) =>
  `(select row_to_json(json_row) from (select ${Object.entries(fields)
    .map(([key, expression]) => `${expression} as "${key}"`)
    .join(', ')}) json_row)`;

const globalId = (typeName: string, column: string) =>
  `translate(encode(convert_to('${typeName}:' || ${column}, 'UTF8'), 'base64'), '+/=', '-_')`;

const isoTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const list = (element: string, from: string, orderBy: string) =>
  `coalesce((select json_agg(${element} order by ${orderBy}) ${from}), '[]')`;

const matchesOfSeason = `
  select m.* from match m
    join season s on s.id = m.season_id
    join competition c on c.id = s.competition_id
   where c.code = $1 and s.label = $2`;

const listedMatch = object({
  id: globalId('Match', 'm.id'),
  kickoff: isoTime('m.kickoff'),
  homeTeam: object({ name: 'home.name' }),
  awayTeam: object({ name: 'away.name' }),
  season: object({ label: 's.label' }),
  latestPrediction: `(select ${object({ modelName: 'p.model_name', homeWin: 'p.home_win', draw: 'p.draw', awayWin: 'p.away_win' })}
      from prediction p where p.match_id = m.id order by p.created_at desc, p.id desc limit 1)`,
  odds: list(
    object({ bookmaker: 'o.bookmaker', market: 'o.market', line: 'o.line', prices: 'o.prices' }),
    'from odds o where o.match_id = m.id',
    'o.bookmaker, o.market, o.line, o.id',
  ),
});

/** $1 competition code, $2 season label, $3 page size. */
export const MATCH_LIST_SQL = `select ${object({
  data: object({
    matches: object({
      totalCount: `(select count(*) from (${matchesOfSeason}) counted)`,
      edges: list(
        object({ node: listedMatch }),
        `from (${matchesOfSeason} order by m.kickoff, m.id limit $3) m
           join team home on home.id = m.home_team_id
           join team away on away.id = m.away_team_id
           join season s on s.id = m.season_id`,
        'm.kickoff, m.id',
      ),
    }),
  }),
})}::text as body`;

const team = (alias: string) =>
  object({
    id: globalId('Team', `${alias}.id`),
    name: `${alias}.name`,
    shortName: `${alias}.short_name`,
    country: `${alias}.country`,
  });

const prediction = object({
  id: globalId('Prediction', 'p.id'),
  modelName: 'p.model_name',
  modelVersion: 'p.model_version',
  homeWin: 'p.home_win',
  draw: 'p.draw',
  awayWin: 'p.away_win',
  expectedHomeGoals: 'p.expected_home_goals',
  expectedAwayGoals: 'p.expected_away_goals',
  inPlayMinute: 'p.in_play_minute',
  createdAt: isoTime('p.created_at'),
  markets: 'p.markets',
});

const detailedMatch = object({
  id: globalId('Match', 'm.id'),
  kickoff: isoTime('m.kickoff'),
  status: 'm.status',
  minute: 'm.minute',
  homeGoals: 'm.home_goals',
  awayGoals: 'm.away_goals',
  halfTimeHomeGoals: 'm.half_time_home_goals',
  halfTimeAwayGoals: 'm.half_time_away_goals',
  homeShots: 'm.home_shots',
  awayShots: 'm.away_shots',
  homeShotsOnTarget: 'm.home_shots_on_target',
  awayShotsOnTarget: 'm.away_shots_on_target',
  createdAt: isoTime('m.created_at'),
  updatedAt: isoTime('m.updated_at'),
  homeTeam: team('home'),
  awayTeam: team('away'),
  season: object({
    id: globalId('Season', 's.id'),
    label: 's.label',
    startDate: `to_char(s.start_date, 'YYYY-MM-DD')`,
    endDate: `to_char(s.end_date, 'YYYY-MM-DD')`,
    competition: object({ id: globalId('Competition', 'c.id'), code: 'c.code', name: 'c.name', country: 'c.country' }),
  }),
  events: list(
    object({
      id: globalId('MatchEvent', 'e.id'),
      type: 'e.type',
      minute: 'e.minute',
      source: 'e.source',
      externalId: 'e.external_id',
      createdAt: isoTime('e.created_at'),
      team: `case when t.id is null then null else ${object({ id: globalId('Team', 't.id'), name: 't.name' })} end`,
    }),
    'from match_event e left join team t on t.id = e.team_id where e.match_id = m.id',
    'e.minute, e.id',
  ),
  odds: list(
    object({
      id: globalId('Odds', 'o.id'),
      bookmaker: 'o.bookmaker',
      market: 'o.market',
      line: 'o.line',
      prices: 'o.prices',
      closing: 'o.closing',
      takenAt: isoTime('o.taken_at'),
    }),
    'from odds o where o.match_id = m.id',
    'o.bookmaker, o.market, o.line, o.id',
  ),
  latestPrediction: `(select ${prediction} from prediction p
      where p.match_id = m.id order by p.created_at desc, p.id desc limit 1)`,
  predictions: list(prediction, 'from prediction p where p.match_id = m.id', 'p.created_at desc, p.id desc'),
});

/** $1 match id. An unknown id returns no row. */
export const MATCH_DETAIL_SQL = `select ${object({ data: object({ match: detailedMatch }) })}::text as body
    from match m
    join team home on home.id = m.home_team_id
    join team away on away.id = m.away_team_id
    join season s on s.id = m.season_id
    join competition c on c.id = s.competition_id
   where m.id = $1`;
