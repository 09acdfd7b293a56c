import { randomBytes } from 'node:crypto';
import { graphqlRequest, GraphqlRequestError } from './subscriptions-client';

/** Where the API lives and an ADMIN key for it (see SubscriptionBenchTarget). */
export interface ApiTarget {
  httpUrl: string;
  apiKey: string;
}

/** A match created for one scenario, with the global IDs its events need. */
export interface BenchMatch {
  id: string;
  homeTeamId: string;
  awayTeamId: string;
  /** Global ID of the match's competition. */
  competitionId: string;
}

export type BenchEventType = 'KICK_OFF' | 'GOAL' | 'FULL_TIME';

export interface RecordedBenchEvent {
  created: boolean;
  predictionId: string | null;
  homeGoals: number | null;
  awayGoals: number | null;
}

interface SeasonRow {
  id: string;
  label: string;
  startDate: string;
  endDate: string;
}

interface CompetitionRow {
  id: string;
  code: string;
  seasons: SeasonRow[];
}

interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const BENCH_SOURCE = 'bench';
const PAGE = 100;
const MAX_PAGES = 50;

/** A key prefix unique to one scenario run, so every externalId is new. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates `count` scheduled matches between pairs of teams that have not met at that venue in
 * the chosen season (a season has one match per ordered pair). The season is the one running
 * today, or else the latest one; kick-off is in a minute, moved into the season's dates when
 * today is outside them (events do not check the kick-off time).
 */
export async function createMatches(target: ApiTarget, count: number): Promise<BenchMatch[]> {
  const [chosen] = await pickSeasons(target, 1);
  return createMatchesIn(target, chosen!, count);
}

/**
 * A matchday: `count` matches as `createMatches` makes them, spread evenly over the current
 * seasons of `competitions` competitions, no team in two of them (so a team's feed follows one match).
 */
export async function createMatchesAcross(
  target: ApiTarget,
  count: number,
  competitions: number,
): Promise<BenchMatch[]> {
  const chosen = await pickSeasons(target, competitions);
  if (chosen.length < competitions)
    throw new Error(`the API has ${chosen.length} competitions, ${competitions} wanted`);
  const created: BenchMatch[] = [];
  for (const [index, season] of chosen.entries()) {
    const share = Math.floor(count / competitions) + (index < count % competitions ? 1 : 0);
    created.push(...(await createMatchesIn(target, season, share, true)));
  }
  return created;
}

async function createMatchesIn(
  target: ApiTarget,
  chosen: ChosenSeason,
  count: number,
  oncePerTeam = false,
): Promise<BenchMatch[]> {
  const { competition, season } = chosen;
  const teams = await teamIds(target, competition.code);
  const taken = await existingPairs(target, competition.code, season.label);
  const kickoff = kickoffWithin(season, new Date(Date.now() + 60_000));
  const created: BenchMatch[] = [];
  const playing = new Set<string>();
  for (const [home, away] of candidatePairs(teams)) {
    if (created.length === count) break;
    if (taken.has(`${home}|${away}`)) continue;
    if (oncePerTeam && (playing.has(home) || playing.has(away))) continue;
    const match = await tryCreateMatch(target, { seasonId: season.id, homeTeamId: home, awayTeamId: away, kickoff });
    if (!match) continue;
    created.push({ ...match, competitionId: competition.id });
    playing.add(home).add(away);
  }
  if (created.length < count) {
    throw new Error(`only ${created.length} of ${count} new matches: season ${season.label} has no free team pairs`);
  }
  return created;
}

export async function recordEvent(
  target: ApiTarget,
  input: { matchId: string; type: BenchEventType; minute: number; teamId?: string; externalId: string },
  timeoutMs = 10_000,
): Promise<RecordedBenchEvent> {
  const data = await graphqlRequest<{
    recordMatchEvent: {
      created: boolean;
      prediction: { id: string } | null;
      match: { homeGoals: number | null; awayGoals: number | null };
    };
  }>(
    target.httpUrl,
    target.apiKey,
    `mutation BenchEvent($input: RecordMatchEventInput!) {
      recordMatchEvent(input: $input) { created prediction { id } match { homeGoals awayGoals } }
    }`,
    { input: { ...input, source: BENCH_SOURCE } },
    timeoutMs,
  );
  const { created, prediction, match } = data.recordMatchEvent;
  return { created, predictionId: prediction?.id ?? null, homeGoals: match.homeGoals, awayGoals: match.awayGoals };
}

/**
 * Ends the scenario's matches (full time, or cancelled if never kicked off) so later runs and
 * scenarios see no leftover live or upcoming matches. Tries each twice; warns about the rest.
 */
export async function finishMatches(target: ApiTarget, matches: BenchMatch[], runId: string): Promise<void> {
  const results = await Promise.allSettled(matches.map((match) => finishMatchRetrying(target, match, runId)));
  const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed.length === 0) return;
  const reason = failed[0]!.reason instanceof Error ? failed[0]!.reason.message : String(failed[0]!.reason);
  console.warn(`[bench:subscriptions] ${failed.length} bench matches left unfinished, e.g. ${reason}`);
}

async function finishMatchRetrying(target: ApiTarget, match: BenchMatch, runId: string): Promise<void> {
  try {
    await finishMatch(target, match, runId);
  } catch {
    // The same externalId again: harmless if the first attempt was recorded after all.
    await finishMatch(target, match, runId);
  }
}

async function finishMatch(target: ApiTarget, match: BenchMatch, runId: string): Promise<void> {
  try {
    await recordEvent(target, {
      matchId: match.id,
      type: 'FULL_TIME',
      minute: 150,
      externalId: `${runId}-ft-${match.id}`,
    });
  } catch (error) {
    if (!(error instanceof GraphqlRequestError && error.codes.includes('INVALID_STATE'))) throw error;
    await graphqlRequest(
      target.httpUrl,
      target.apiKey,
      'mutation BenchCancel($id: ID!) { updateMatch(id: $id, input: { status: CANCELLED }) { id } }',
      { id: match.id },
    );
  }
}

interface ChosenSeason {
  competition: { id: string; code: string };
  season: SeasonRow;
}

/**
 * Up to `count` competitions, each with its season running today or else its latest one, those
 * with a running season first.
 */
async function pickSeasons(target: ApiTarget, count: number): Promise<ChosenSeason[]> {
  const data = await graphqlRequest<{ competitions: CompetitionRow[] }>(
    target.httpUrl,
    target.apiKey,
    '{ competitions { id code seasons { id label startDate endDate } } }',
  );
  const today = new Date().toISOString().slice(0, 10);
  const running = (season: SeasonRow) => season.startDate <= today && today <= season.endDate;
  const chosen = data.competitions.flatMap((c) => {
    const seasons = [...c.seasons].sort((a, b) => b.endDate.localeCompare(a.endDate));
    const season = seasons.find(running) ?? seasons[0];
    return season ? [{ competition: { id: c.id, code: c.code }, season }] : [];
  });
  chosen.sort(
    (a, b) => Number(running(b.season)) - Number(running(a.season)) || b.season.endDate.localeCompare(a.season.endDate),
  );
  if (chosen.length === 0) throw new Error('the API has no season to create bench matches in');
  return chosen.slice(0, count);
}

async function teamIds(target: ApiTarget, competition: string): Promise<string[]> {
  const teams = await allPages<{ id: string }>(
    target,
    `query BenchTeams($competition: String!, $after: String) {
      page: teams(filter: { competition: $competition }, first: ${PAGE}, after: $after) {
        edges { node { id } } pageInfo { hasNextPage endCursor }
      }
    }`,
    { competition },
  );
  return teams.map((team) => team.id);
}

async function existingPairs(target: ApiTarget, competition: string, season: string): Promise<Set<string>> {
  const matches = await allPages<{ homeTeam: { id: string }; awayTeam: { id: string } }>(
    target,
    `query BenchSeasonMatches($competition: String!, $season: String!, $after: String) {
      page: matches(filter: { competition: $competition, season: $season }, first: ${PAGE}, after: $after) {
        edges { node { homeTeam { id } awayTeam { id } } } pageInfo { hasNextPage endCursor }
      }
    }`,
    { competition, season },
  );
  return new Set(matches.map((m) => `${m.homeTeam.id}|${m.awayTeam.id}`));
}

async function allPages<T>(target: ApiTarget, query: string, variables: Record<string, unknown>): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data: { page: Connection<T> } = await graphqlRequest(target.httpUrl, target.apiKey, query, {
      ...variables,
      after,
    });
    nodes.push(...data.page.edges.map((edge) => edge.node));
    if (!data.page.pageInfo.hasNextPage) break;
    after = data.page.pageInfo.endCursor;
  }
  return nodes;
}

// A random starting point, so concurrent or repeated runs rarely race for the same pair.
function* candidatePairs(teams: string[]): Generator<[string, string]> {
  const n = teams.length;
  const pairs = n * (n - 1);
  const offset = Math.floor(Math.random() * Math.max(pairs, 1));
  for (let k = 0; k < pairs; k++) {
    const index = (k + offset) % pairs;
    const home = Math.floor(index / (n - 1));
    const awaySlot = index % (n - 1);
    yield [teams[home]!, teams[awaySlot >= home ? awaySlot + 1 : awaySlot]!];
  }
}

function kickoffWithin(season: SeasonRow, wanted: Date): string {
  const first = new Date(`${season.startDate}T00:00:00Z`);
  const last = new Date(`${season.endDate}T12:00:00Z`);
  const time = Math.min(Math.max(wanted.getTime(), first.getTime()), last.getTime());
  return new Date(time).toISOString();
}

async function tryCreateMatch(
  target: ApiTarget,
  input: { seasonId: string; homeTeamId: string; awayTeamId: string; kickoff: string },
): Promise<Omit<BenchMatch, 'competitionId'> | null> {
  try {
    const data = await graphqlRequest<{ createMatch: { id: string } }>(
      target.httpUrl,
      target.apiKey,
      'mutation BenchMatch($input: CreateMatchInput!) { createMatch(input: $input) { id } }',
      { input },
    );
    return { id: data.createMatch.id, homeTeamId: input.homeTeamId, awayTeamId: input.awayTeamId };
  } catch (error) {
    // Another run took this pair since we listed the season's matches.
    if (error instanceof GraphqlRequestError && error.codes.includes('CONFLICT')) return null;
    throw error;
  }
}
