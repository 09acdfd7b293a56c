import { fromGlobalId, toGlobalId } from '../../common/global-id';
import { REPLAY_SOURCE, SIMULATED_SOURCE } from '../../matches/event-sources';
import type { MatchEventType } from '../../matches/match.enums';
import type { Side } from '../../matches/match-state';
import { playTimeline, type PlayProgress } from './play-timeline';
import { recordedTimeline, seededRandom, simulateTimeline, type TimelineEvent } from './timeline';

/** Sends one GraphQL operation to a Matchcast server; throws ReplayError on any error it answers. */
export type GraphqlCall = <Data>(query: string, variables: Record<string, unknown>) => Promise<Data>;

/** A failure the replay explains to its user (bad arguments, a refused event, an unreachable server). */
export class ReplayError extends Error {}

export interface ReplayOptions {
  /** The finished match to replay (its global ID, or its number). */
  match: string;
  /** A scheduled match to play it into; by default a new one, kicking off now, is created. */
  into?: string;
  speed: number;
  /** Simulate a timeline from the scores even when the match has stored events. */
  simulate?: boolean;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (progress: PlayProgress, line: string) => void;
}

export interface ReplayResult {
  sourceMatchId: string;
  targetMatchId: string;
  simulated: boolean;
  events: number;
  finalScore: string;
}

interface TeamRef {
  id: string;
  name: string;
}

interface SourceMatch {
  id: string;
  status: string;
  homeGoals: number | null;
  awayGoals: number | null;
  halfTimeHomeGoals: number | null;
  halfTimeAwayGoals: number | null;
  homeTeam: TeamRef;
  awayTeam: TeamRef;
  season: {
    competition: { code: string; seasons: { id: string; label: string; startDate: string; endDate: string }[] };
  };
  events: {
    id: string;
    type: MatchEventType;
    minute: number;
    team: { id: string } | null;
    addedMinutes: number | null;
    detail: string | null;
    cancelledAt: string | null;
  }[];
}

const MATCH_QUERY = `query ReplayMatch($id: ID!) {
  match(id: $id) {
    id status homeGoals awayGoals halfTimeHomeGoals halfTimeAwayGoals
    homeTeam { id name } awayTeam { id name }
    season { competition { code seasons { id label startDate endDate } } }
    events { id type minute team { id } addedMinutes detail cancelledAt }
  }
}`;

const CREATE_MATCH = `mutation ReplayCreateMatch($input: CreateMatchInput!) {
  createMatch(input: $input) { id }
}`;

const INGEST = `mutation ReplayIngest($events: [RecordMatchEventInput!]!) {
  ingestMatchEvents(events: $events) {
    rejected
    results { index outcome error { code message } }
  }
}`;

/**
 * Plays a finished match through a server's ingest path (`ingestMatchEvents`), into a scheduled
 * match: its stored events in the order they were recorded, or a timeline simulated from its
 * half-time and full-time scores when it has none (imported matches). Stops at the first event
 * the server refuses.
 */
export async function replayMatch(call: GraphqlCall, options: ReplayOptions): Promise<ReplayResult> {
  const source = await readMatch(call, asMatchId(options.match));
  if (source.status !== 'FINISHED') {
    throw new ReplayError(`match ${source.id} is ${source.status}: only a finished match can be replayed`);
  }
  const { timeline, simulated } = timelineOf(source, options);
  const target = options.into ? await scheduledMatch(call, asMatchId(options.into)) : await newMatchLike(call, source);
  const teamOf: Record<Side, string> = { home: target.homeTeam.id, away: target.awayTeam.id };
  const names: Record<Side, string> = { home: target.homeTeam.name, away: target.awayTeam.name };
  const label = simulated ? SIMULATED_SOURCE : REPLAY_SOURCE;
  const score = { home: 0, away: 0 };
  let sequence = 0;
  await playTimeline(timeline, {
    speed: options.speed,
    signal: options.signal,
    send: async (batch) => {
      const events = batch.map((event) => ({
        matchId: target.id,
        type: event.type,
        minute: event.minute,
        teamId: event.side ? teamOf[event.side] : null,
        addedMinutes: event.addedMinutes ?? null,
        detail: event.detail ?? null,
        source: label,
        externalId: `${source.id}:${target.id}:${(sequence += 1)}`,
      }));
      const { ingestMatchEvents: answer } = await call<{ ingestMatchEvents: IngestAnswer }>(INGEST, { events });
      const refused = answer.results.find((r) => r.outcome === 'REJECTED');
      if (refused) {
        const event = batch[refused.index]!;
        throw new ReplayError(
          `the server refused ${event.type} at minute ${event.minute}: ${refused.error?.code} ${refused.error?.message}`,
        );
      }
    },
    onProgress: (progress) => {
      for (const event of progress.batch) countGoal(score, event);
      options.onProgress?.(progress, progressLine(progress, names, score));
    },
  });
  return {
    sourceMatchId: source.id,
    targetMatchId: target.id,
    simulated,
    events: timeline.length,
    finalScore: `${score.home}-${score.away}`,
  };
}

interface IngestAnswer {
  rejected: number;
  results: { index: number; outcome: string; error: { code: string; message: string } | null }[];
}

/** A match's global ID from what the user typed: the ID itself or the number inside it. */
export function asMatchId(text: string): string {
  if (/^[1-9][0-9]*$/.test(text)) return toGlobalId('Match', Number(text));
  try {
    if (fromGlobalId(text).typeName === 'Match') return text;
  } catch {
    // Reported below, as for any other text.
  }
  throw new ReplayError(`"${text}" is not a match id (give the ID the API shows, or the match number)`);
}

async function readMatch(call: GraphqlCall, id: string): Promise<SourceMatch> {
  return (await call<{ match: SourceMatch }>(MATCH_QUERY, { id })).match;
}

function timelineOf(source: SourceMatch, options: ReplayOptions): { timeline: TimelineEvent[]; simulated: boolean } {
  if (source.events.length > 0 && !options.simulate) {
    const sideOf = (teamId: string | undefined): Side | null =>
      teamId === source.homeTeam.id ? 'home' : teamId === source.awayTeam.id ? 'away' : null;
    // The API lists events by minute; a replay needs the order they were recorded in.
    const recorded = [...source.events].sort((a, b) => fromGlobalId(a.id).id - fromGlobalId(b.id).id);
    const timeline = recordedTimeline(
      recorded.map((e) => ({
        type: e.type,
        minute: e.minute,
        side: sideOf(e.team?.id),
        addedMinutes: e.addedMinutes ?? undefined,
        detail: e.detail ?? undefined,
        cancelled: e.cancelledAt !== null,
      })),
    );
    return { timeline, simulated: false };
  }
  if (source.homeGoals === null || source.awayGoals === null) {
    throw new ReplayError(`match ${source.id} has neither stored events nor a final score to simulate from`);
  }
  const halfTime =
    source.halfTimeHomeGoals === null || source.halfTimeAwayGoals === null
      ? null
      : { home: source.halfTimeHomeGoals, away: source.halfTimeAwayGoals };
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  try {
    const timeline = simulateTimeline(
      { fullTime: { home: source.homeGoals, away: source.awayGoals }, halfTime },
      random,
    );
    return { timeline, simulated: true };
  } catch (error) {
    throw new ReplayError(`match ${source.id} cannot be simulated: ${(error as Error).message}`);
  }
}

async function scheduledMatch(call: GraphqlCall, id: string): Promise<SourceMatch> {
  const match = await readMatch(call, id);
  if (match.status !== 'SCHEDULED') {
    throw new ReplayError(`--into ${id} is ${match.status}: replay into a SCHEDULED match`);
  }
  return match;
}

// The same teams in the competition's season of today, kicking off now.
async function newMatchLike(call: GraphqlCall, source: SourceMatch): Promise<SourceMatch> {
  const today = new Date().toISOString().slice(0, 10);
  const { code, seasons } = source.season.competition;
  const season = seasons.find((s) => s.startDate <= today && today <= s.endDate);
  if (!season) {
    throw new ReplayError(
      `${code} has no season that includes ${today} to create the replay's match in: pass --into <id> of a scheduled match`,
    );
  }
  const input = {
    seasonId: season.id,
    homeTeamId: source.homeTeam.id,
    awayTeamId: source.awayTeam.id,
    kickoff: new Date(),
  };
  try {
    const { createMatch } = await call<{ createMatch: { id: string } }>(CREATE_MATCH, { input });
    return readMatch(call, createMatch.id);
  } catch (error) {
    if (error instanceof ReplayError && /CONFLICT/.test(error.message)) {
      throw new ReplayError(
        `${season.label} already has ${source.homeTeam.name} v ${source.awayTeam.name}: pass --into <id> of a scheduled match`,
      );
    }
    throw error;
  }
}

const SCORING = new Set<string>(['GOAL', 'OWN_GOAL', 'PENALTY_GOAL']);

function countGoal(score: Record<Side, number>, event: TimelineEvent): void {
  if (SCORING.has(event.type) && event.side) score[event.side] += 1;
}

function progressLine(progress: PlayProgress, names: Record<Side, string>, score: Record<Side, number>): string {
  const what = progress.batch
    .map((e) => `${e.type}${e.side ? ` ${names[e.side]}` : ''}${e.addedMinutes ? ` +${e.addedMinutes}` : ''}`)
    .join(', ');
  const minute = progress.batch[0]!.minute;
  return `[${progress.sent}/${progress.total}] ${minute}' ${what}  (${names.home} ${score.home}-${score.away} ${names.away})`;
}

/** A GraphqlCall over HTTP with an API key; errors name the server's code and message. */
export function httpGraphql(url: string, apiKey: string): GraphqlCall {
  return async <Data>(query: string, variables: Record<string, unknown>): Promise<Data> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new ReplayError(`cannot reach ${url}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const body = (await response.json().catch(() => null)) as {
      data?: Data;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    const failure = body?.errors?.[0];
    if (failure) throw new ReplayError(`${failure.extensions?.code ?? 'ERROR'}: ${failure.message}`);
    if (!body?.data) throw new ReplayError(`${url} answered HTTP ${response.status} without data`);
    return body.data;
  };
}
