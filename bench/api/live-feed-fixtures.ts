import { createHmac } from 'node:crypto';
import { postJson } from './http-post';
import { graphqlRequest } from './subscriptions-client';
import type { ApiTarget, BenchEventType } from './subscriptions-fixtures';

/** One event as `ingestMatchEvents` and `POST /ingest/events` take it (the source aside). */
export interface BenchIngestEvent {
  matchId: string;
  type: BenchEventType;
  minute: number;
  teamId?: string;
  externalId: string;
}

/** Outcome counts of one batch, whichever way it was sent. */
export interface BatchAnswer {
  recorded: number;
  duplicates: number;
  rejected: number;
  /** The first rejected event's code and message, if any. */
  firstError: string | null;
}

export interface WebhookSource {
  name: string;
  secret: string;
}

interface IngestPayload {
  recorded: number;
  duplicates: number;
  rejected: number;
  results: { outcome: string; error: { code: string; message: string } | null }[];
}

const BENCH_SOURCE = 'bench';

/** `ingestMatchEvents` with source `bench`. */
export async function ingestEvents(
  target: ApiTarget,
  events: BenchIngestEvent[],
  timeoutMs = 10_000,
): Promise<BatchAnswer> {
  const data = await graphqlRequest<{ ingestMatchEvents: IngestPayload }>(
    target.httpUrl,
    target.apiKey,
    `mutation BenchIngest($events: [RecordMatchEventInput!]!) {
      ingestMatchEvents(events: $events) { recorded duplicates rejected results { outcome error { code message } } }
    }`,
    { events: events.map((event) => ({ ...event, source: BENCH_SOURCE })) },
    timeoutMs,
  );
  return answerOf(data.ingestMatchEvents);
}

/** Registers a webhook source for this run; its secret signs the posts. */
export async function createWebhookSource(target: ApiTarget, name: string): Promise<WebhookSource> {
  const data = await graphqlRequest<{ createIngestSource: { secret: string } }>(
    target.httpUrl,
    target.apiKey,
    'mutation BenchSource($name: String!) { createIngestSource(name: $name) { secret } }',
    { name },
  );
  return { name, secret: data.createIngestSource.secret };
}

/** `POST /ingest/events`, signed as the README shows (Stripe's scheme). */
export async function postEvents(
  target: ApiTarget,
  source: WebhookSource,
  events: BenchIngestEvent[],
  timeoutMs = 10_000,
): Promise<BatchAnswer> {
  const body = JSON.stringify({ events });
  const t = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', source.secret).update(`${t}.${body}`).digest('hex');
  const { status, body: answered } = await postJson(
    target.httpUrl.replace(/\/graphql$/, '/ingest/events'),
    {
      'x-api-key': target.apiKey,
      'matchcast-source': source.name,
      'matchcast-signature': `t=${t},v1=${signature}`,
    },
    body,
    timeoutMs,
  );
  const answer = answered as IngestPayload & { errors?: { message: string }[] };
  if (status !== 200 || answer.errors) {
    throw new Error(`POST /ingest/events: HTTP ${status} ${JSON.stringify(answer.errors ?? answer)}`);
  }
  return answerOf(answer);
}

/**
 * Puts a team on the bench tenant's watchlist; returns the entry's id for `unwatch`. A team
 * already on it (a run that was stopped before it cleaned up) keeps its entry.
 */
export async function watchTeam(target: ApiTarget, teamId: string): Promise<string> {
  try {
    const data = await graphqlRequest<{ watch: { id: string } }>(
      target.httpUrl,
      target.apiKey,
      'mutation BenchWatch($teamId: ID!) { watch(input: { teamId: $teamId }) { id } }',
      { teamId },
    );
    return data.watch.id;
  } catch (error) {
    const data = await graphqlRequest<{ watchlist: { id: string; team: { id: string } | null }[] }>(
      target.httpUrl,
      target.apiKey,
      '{ watchlist { id team { id } } }',
    );
    const entry = data.watchlist.find((item) => item.team?.id === teamId);
    if (!entry) throw error;
    return entry.id;
  }
}

/** Takes entries off the watchlist; one that is already gone is ignored. */
export async function unwatchAll(target: ApiTarget, ids: string[]): Promise<void> {
  await Promise.allSettled(
    ids.map((id) =>
      graphqlRequest(target.httpUrl, target.apiKey, 'mutation BenchUnwatch($id: ID!) { unwatch(id: $id) }', { id }),
    ),
  );
}

function answerOf(payload: IngestPayload): BatchAnswer {
  const rejected = payload.results.find((result) => result.error);
  return {
    recorded: payload.recorded,
    duplicates: payload.duplicates,
    rejected: payload.rejected,
    firstError: rejected?.error ? `${rejected.error.code} ${rejected.error.message}` : null,
  };
}

/** What the bench tenant's watchlist follows, as global IDs. */
export interface Watched {
  competitions: Set<string>;
  teams: Set<string>;
  matches: Set<string>;
}

export async function readWatchlist(target: ApiTarget): Promise<Watched> {
  const data = await graphqlRequest<{
    watchlist: { competition: { id: string } | null; team: { id: string } | null; match: { id: string } | null }[];
  }>(target.httpUrl, target.apiKey, '{ watchlist { competition { id } team { id } match { id } } }');
  const ids = (pick: (item: (typeof data.watchlist)[number]) => { id: string } | null) =>
    new Set(data.watchlist.flatMap((item) => (pick(item) ? [pick(item)!.id] : [])));
  return { competitions: ids((i) => i.competition), teams: ids((i) => i.team), matches: ids((i) => i.match) };
}
