import type { Client } from 'pg';
import { toGlobalId } from '../../src/common/global-id';
import { BENCH_COMPETITION, BENCH_SEASON, SCENARIO_MATCH_ID_SQL } from './bench-data.sql';
import {
  MATCHCAST_MATCH_DETAIL,
  MATCHCAST_MATCH_LIST,
  POSTGRAPHILE_MATCH_DETAIL,
  POSTGRAPHILE_MATCH_LIST,
} from './operations';
import type { ServerKind } from './servers';

export type ScenarioName = 'match-list' | 'match-detail';

export const SCENARIOS: Record<ScenarioName, string> = {
  'match-list': `50 matches of EPL ${BENCH_SEASON}: teams, season, latest prediction, all odds`,
  'match-detail': 'one match by id: every field, teams, season, competition, events, odds, all predictions',
};

const PAGE_SIZE = 50;

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a correct answer holds, compared across servers whatever their JSON shape. */
export interface ResponseSummary {
  totalCount: number | null;
  matches: number;
  odds: number;
  predictions: number;
  events: number;
}

export interface ScenarioTarget {
  request: HttpRequestSpec;
  summarize(json: unknown): ResponseSummary;
}

export interface ScenarioContext {
  apiKey: string;
  matchId: number;
}

export async function scenarioContext(client: Client, apiKey: string): Promise<ScenarioContext> {
  const found = await client.query<{ id: number }>(SCENARIO_MATCH_ID_SQL);
  return { apiKey, matchId: found.rows[0]!.id };
}

export function scenarioTarget(scenario: ScenarioName, server: ServerKind, context: ScenarioContext): ScenarioTarget {
  const listVariables = { competition: BENCH_COMPETITION, season: BENCH_SEASON, first: PAGE_SIZE };
  const matchGlobalId = toGlobalId('Match', context.matchId);
  switch (server) {
    case 'matchcast':
    case 'matchcast-cached':
    case 'matchcast-traced': {
      const headers = { 'x-api-key': context.apiKey };
      return scenario === 'match-list'
        ? { request: graphql(MATCHCAST_MATCH_LIST, listVariables, headers), summarize: summarizeMatchcastList }
        : {
            request: graphql(MATCHCAST_MATCH_DETAIL, { id: matchGlobalId }, headers),
            summarize: summarizeDetail(MATCHCAST_DETAIL),
          };
    }
    case 'postgraphile':
      return scenario === 'match-list'
        ? { request: graphql(POSTGRAPHILE_MATCH_LIST, listVariables, {}), summarize: summarizePostGraphileList }
        : {
            request: graphql(POSTGRAPHILE_MATCH_DETAIL, { rowId: context.matchId }, {}),
            summarize: summarizeDetail(POSTGRAPHILE_DETAIL),
          };
    case 'raw':
      return scenario === 'match-list'
        ? { request: get('/matches', listVariables), summarize: summarizeMatchcastList }
        : {
            request: get('/match', { id: matchGlobalId }),
            summarize: summarizeDetail(MATCHCAST_DETAIL),
          };
  }
}

/** The summary every server must return, read from the database. */
export async function expectedSummary(
  client: Client,
  scenario: ScenarioName,
  context: ScenarioContext,
): Promise<ResponseSummary> {
  if (scenario === 'match-list') {
    const { rows } = await client.query<ResponseSummary>(
      `with season_matches as (
         select m.id, m.kickoff from match m
           join season s on s.id = m.season_id join competition c on c.id = s.competition_id
          where c.code = $1 and s.label = $2
       ), page as (select id from season_matches order by kickoff, id limit $3)
       select (select count(*) from season_matches)::int as "totalCount",
              (select count(*) from page)::int as matches,
              (select count(*) from odds where match_id in (select id from page))::int as odds,
              (select count(distinct match_id) from prediction where match_id in (select id from page))::int
                as predictions,
              0 as events`,
      [BENCH_COMPETITION, BENCH_SEASON, PAGE_SIZE],
    );
    return rows[0]!;
  }
  const { rows } = await client.query<ResponseSummary>(
    `select null::int as "totalCount", 1 as matches,
            (select count(*) from odds where match_id = $1)::int as odds,
            (select count(*) from prediction where match_id = $1)::int as predictions,
            (select count(*) from match_event where match_id = $1)::int as events`,
    [context.matchId],
  );
  return rows[0]!;
}

function graphql(query: string, variables: object, headers: Record<string, string>): HttpRequestSpec {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  };
}

function get(path: string, params: Record<string, string | number>): HttpRequestSpec {
  const query = new URLSearchParams(
    Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]),
  );
  return { method: 'GET', path: `${path}?${query}`, headers: {} };
}

function summarizeMatchcastList(json: unknown): ResponseSummary {
  const connection = at(json, 'data', 'matches');
  const nodes = array(connection, 'edges').map((edge) => at(edge, 'node'));
  return {
    totalCount: numberAt(connection, 'totalCount'),
    matches: nodes.length,
    odds: sum(nodes.map((node) => array(node, 'odds').length)),
    predictions: nodes.filter((node) => at(node, 'latestPrediction') != null).length,
    events: 0,
  };
}

function summarizePostGraphileList(json: unknown): ResponseSummary {
  const season = array(at(json, 'data', 'competitionByCode', 'seasonsByCompetitionId'), 'nodes')[0];
  const connection = at(season, 'matchesBySeasonId');
  const nodes = array(connection, 'nodes');
  return {
    totalCount: numberAt(connection, 'totalCount'),
    matches: nodes.length,
    odds: sum(nodes.map((node) => postGraphileList(node, 'oddsByMatchId').length)),
    predictions: nodes.filter((node) => postGraphileList(node, 'predictionsByMatchId').length > 0).length,
    events: 0,
  };
}

/** Where a single-match answer keeps the match and its lists. */
interface DetailShape {
  match: string[];
  odds: string;
  predictions: string;
  events: string;
  list(parent: unknown, field: string): unknown[];
}

function summarizeDetail(shape: DetailShape): (json: unknown) => ResponseSummary {
  return (json) => {
    const match = at(json, ...shape.match);
    return {
      totalCount: null,
      matches: match == null ? 0 : 1,
      odds: shape.list(match, shape.odds).length,
      predictions: shape.list(match, shape.predictions).length,
      events: shape.list(match, shape.events).length,
    };
  };
}

const postGraphileList = (parent: unknown, field: string) => array(at(parent, field), 'nodes');

const MATCHCAST_DETAIL: DetailShape = {
  match: ['data', 'match'],
  odds: 'odds',
  predictions: 'predictions',
  events: 'events',
  list: (parent, field) => array(parent, field),
};

const POSTGRAPHILE_DETAIL: DetailShape = {
  match: ['data', 'matchByRowId'],
  odds: 'oddsByMatchId',
  predictions: 'predictionsByMatchId',
  events: 'matchEventsByMatchId',
  list: postGraphileList,
};

function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>(
    (current, key) =>
      current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined,
    value,
  );
}

function array(value: unknown, field: string): unknown[] {
  const found = at(value, field);
  return Array.isArray(found) ? found : [];
}

function numberAt(value: unknown, field: string): number | null {
  const found = at(value, field);
  return typeof found === 'number' ? found : null;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
