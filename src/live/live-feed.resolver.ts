import { Arg, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { idOf } from '../common/global-id';
import type { AppContext } from '../context';
import { intArrayParameter, selectRows } from '../db/select';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../errors';
import { matchFromSnapshot } from '../matches/match.snapshot';
import { eventFromRow, oddsFromRow } from '../matches/match.views';
import { Topic } from '../pubsub/topics';
import { fitsScope, scopeOf, type LiveFeedScope } from './live-feed.scope';
import { liveFeedStream } from './live-feed.stream';
import {
  LiveFeedFilter,
  LiveFeedSince,
  LiveFeedUpdate,
  MatchChanged,
  MatchEventCorrected,
  MatchEventRecorded,
  MAX_LIVE_FEED_IDS,
  PricesMoved,
} from './live-feed.types';
import { LiveUpdateKind, type LiveUpdate } from './live-update';
import { readMissedUpdates, type ResumePoint } from './live-update.store';
import { fromPredictionSnapshot } from './prediction.snapshot';

interface LiveFeedArgs {
  filter?: LiveFeedFilter | null;
  since?: LiveFeedSince | null;
}

@Resolver()
export class LiveFeedResolver {
  @Subscription(() => LiveFeedUpdate, {
    description:
      'Every update of the matches the filter selects, in one stream: events recorded and corrected, ' +
      'status and score, in-play predictions, price moves; also of matches that kick off later. Each ' +
      "match's updates come in sequence order. Reconnecting, pass `since` to be sent what was missed first.",
    subscribe: (data: SubscribeResolverData<unknown, LiveFeedArgs, AppContext>) => subscribeLiveFeed(data),
  })
  liveFeed(
    @Root() update: LiveUpdate,
    // Read once, at subscribe time (subscribeLiveFeed checks them): not validated again per update.
    @Arg('filter', () => LiveFeedFilter, { nullable: true, validate: false }) _filter: LiveFeedFilter | null,
    @Arg('since', () => LiveFeedSince, { nullable: true, validate: false }) _since: LiveFeedSince | null,
    @Ctx() ctx: AppContext,
  ): LiveFeedUpdate {
    return liveFeedUpdateOf(ctx, update);
  }
}

/**
 * `liveFeed`'s resolve as the executable schema has it (see schema.ts): type-graphql's converts
 * the field's arguments into class instances on every call, and liveFeed's are read at subscribe
 * time only, so each update skips that.
 */
export const resolveLiveFeedUpdate = (update: LiveUpdate, _args: unknown, ctx: AppContext): LiveFeedUpdate =>
  liveFeedUpdateOf(ctx, update);

// Once per group (see subscription-groups.ts): parses, checks the IDs, and opens the stream.
async function subscribeLiveFeed({ args, context }: SubscribeResolverData<unknown, LiveFeedArgs, AppContext>) {
  if (!context.principal) throw new UnauthenticatedError(context.authFailure ?? undefined);
  const filter = args.filter ?? {};
  const lists = {
    competitions: await existingIds(context, 'Competition', 'competition', filter.competitions, 'filter.competitions'),
    teams: await existingIds(context, 'Team', 'team', filter.teams, 'filter.teams'),
    matches: await existingIds(context, 'Match', 'match', filter.matches, 'filter.matches'),
  };
  const listed = lists.competitions.length + lists.teams.length + lists.matches.length > 0;
  const everyMatch = !listed && !filter.watchlist;
  let scope: LiveFeedScope = scopeOf(lists, everyMatch);
  let stopWatching = () => {};
  if (filter.watchlist) {
    const tenantId = context.principal.tenantId;
    const withWatchlist = async () => {
      const followed = await context.services.watchlists.followed();
      scope = scopeOf(
        {
          competitions: [...lists.competitions, ...followed.competitions],
          teams: [...lists.teams, ...followed.teams],
          matches: [...lists.matches, ...followed.matches],
        },
        false,
      );
    };
    await withWatchlist();
    stopWatching = watchForChanges(context, tenantId, withWatchlist);
  }
  const resume = args.since ? await resumePointOf(context, args.since) : null;
  const stream = liveFeedStream({
    sequencer: context.live,
    fits: (update) => fitsScope(scope, update),
    missed: resume ? () => readMissedUpdates(context.em, scope, resume) : undefined,
  });
  return withCleanup(stream, stopWatching);
}

/** The watchlist is read again each time the tenant changes it (on any instance). */
function watchForChanges(context: AppContext, tenantId: number, reload: () => Promise<void>): () => void {
  const changes = context.pubSub.subscribe(Topic.WATCHLIST_CHANGED, tenantId);
  void (async () => {
    for await (const _change of changes) {
      await reload().catch((error: unknown) =>
        context.logger.error({ err: error }, 'live feed could not read the watchlist again'),
      );
    }
  })();
  return () => void changes.return?.(undefined);
}

function withCleanup<T>(stream: AsyncIterableIterator<T>, cleanup: () => void): AsyncIterableIterator<T> {
  return {
    next: () => stream.next(),
    return: async (value?: unknown) => {
      cleanup();
      return stream.return ? stream.return(value) : { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      cleanup();
      return stream.throw ? stream.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function existingIds(
  context: AppContext,
  typeName: string,
  table: string,
  globalIds: readonly string[] | null | undefined,
  argument: string,
): Promise<number[]> {
  if (!globalIds?.length) return [];
  if (globalIds.length > MAX_LIVE_FEED_IDS) {
    throw new BadUserInputError(`${argument} lists at most ${MAX_LIVE_FEED_IDS} IDs`, argument);
  }
  const ids = [...new Set(globalIds.map((id) => idOf(typeName, id, argument)))];
  // bigint: an id beyond the int range is one that does not exist, not a database error.
  const rows = await selectRows<{ id: number }>(context.em, `select id from ${table} where id = any(?::bigint[])`, [
    intArrayParameter(ids),
  ]);
  const found = new Set(rows.map((row) => row.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new NotFoundError(typeName, missing);
  return ids;
}

async function resumePointOf(context: AppContext, since: LiveFeedSince): Promise<ResumePoint> {
  if (since.positions.length > MAX_LIVE_FEED_IDS) {
    throw new BadUserInputError(`since.positions lists at most ${MAX_LIVE_FEED_IDS} matches`, 'since.positions');
  }
  if (since.positions.some((position) => position.sequence < 0)) {
    throw new BadUserInputError('a sequence is never negative', 'since.positions');
  }
  const matches = since.positions.map((position) => position.match);
  await existingIds(context, 'Match', 'match', matches, 'since.positions.match'); // NOT_FOUND first
  const positions = new Map<number, number>();
  since.positions.forEach((position, index) => {
    const id = idOf('Match', matches[index]!, 'since.positions.match');
    // Two positions for one match leave which one holds to chance: the client's bookkeeping is off.
    if (positions.has(id))
      throw new BadUserInputError(`since.positions lists match ${matches[index]} twice`, 'since.positions');
    positions.set(id, position.sequence);
  });
  return { positions, after: since.after ?? null };
}

/**
 * The GraphQL object of an update. Once per update and group: it renews the group's unit of
 * work (nested fields read fresh rows) and primes the match's loader with the update's match.
 */
function liveFeedUpdateOf(ctx: AppContext, update: LiveUpdate): LiveFeedUpdate {
  const match = matchFromSnapshot(update.match);
  ctx.renewScope((loaders) => loaders.matchById.prime(match.id, match));
  ctx.eventRecordedAt = update.recordedAt;
  const common = { sequence: update.seq, at: new Date(update.at), match };
  const prediction = update.prediction ? fromPredictionSnapshot(update.prediction) : null;
  switch (update.kind) {
    case LiveUpdateKind.EVENT_RECORDED:
      return Object.assign(new MatchEventRecorded(), common, { event: eventFromRow(update.event!), prediction });
    case LiveUpdateKind.EVENT_CORRECTED:
      return Object.assign(new MatchEventCorrected(), common, {
        event: eventFromRow(update.event!),
        cancelled: update.event!.cancelled_at !== null,
        prediction,
      });
    case LiveUpdateKind.PRICES_MOVED:
      return Object.assign(new PricesMoved(), common, { odds: (update.odds ?? []).map(oddsFromRow) });
    case LiveUpdateKind.MATCH_CHANGED:
      return Object.assign(new MatchChanged(), common);
  }
}
