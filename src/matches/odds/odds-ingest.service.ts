import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { selectRows } from '../../db/select';
import { BadUserInputError, ConflictError, InvalidStateError, LimitExceededError, NotFoundError } from '../../errors';
import { appendLiveUpdate, LiveUpdateKind, type LiveUpdate } from '../../live/live-update';
import type { AppPubSub } from '../../pubsub/pubsub';
import { Topic } from '../../pubsub/topics';
import { auditInsertFrom } from '../../tenants/audit';
import { applyBatch, MAX_EVENTS_PER_BATCH, type BatchItem } from '../ingest/event-batch';
import { MatchStatus, OddsMarket } from '../match.enums';
import { toMatchSnapshot } from '../match.snapshot';
import { MATCH_COLUMNS, matchFromRow, ODDS_COLUMNS, oddsFromRow, type MatchRow, type OddsRow } from '../match.views';
import type { Odds } from '../odds.entity';
import type { Match } from '../match.entity';
import type { Prediction } from '../../predictions/prediction.entity';
import { storeMarketInformed } from '../../predictions/market-informed.service';
import { predictionUpdatedPayload } from '../../live/prediction.snapshot';
import type { IngestOddsPayload } from './odds-ingest.types';

/** One bookmaker's prices for one market and line of a match, at one time. */
export interface NewOdds {
  matchId: number;
  bookmaker: string;
  market: OddsMarket;
  line: number;
  prices: number[];
  takenAt: Date;
}

/** How many prices each market has (home/draw/away; over/under; home/away). */
const PRICES_PER_MARKET: Record<OddsMarket, number> = {
  [OddsMarket.ONE_X_TWO]: 3,
  [OddsMarket.OVER_UNDER]: 2,
  [OddsMarket.ASIAN_HANDICAP]: 2,
};

/** A 1X2 price move before kick-off moves the market-informed forecast (predictions/market-informed.ts). */
async function repriced(
  em: EntityManager,
  match: Match,
  input: NewOdds,
): Promise<{ match: Match; stored: [Prediction, Match] } | null> {
  const before = match.status === MatchStatus.SCHEDULED && input.takenAt < match.kickoff;
  if (!before || input.market !== OddsMarket.ONE_X_TWO || input.line !== 0) return null;
  const asOf = new Date(Math.max(Date.now(), input.takenAt.getTime()));
  const prediction = await storeMarketInformed(em, match.id, asOf);
  return prediction ? { match, stored: [prediction, match] } : null;
}

/** A price taken this far in the future is refused (a clock or unit error at the feed). */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** No price moves once a match is over. */
const CLOSED = new Set<MatchStatus>([MatchStatus.FINISHED, MatchStatus.CANCELLED]);

/** The current price of a market: the newest, an imported closing row before its opening row. */
export const CURRENT_ODDS_ORDER = 'taken_at desc nulls last, closing desc, id desc';

/**
 * Ingests bookmaker prices: each stored once per (match, bookmaker, market, line, time), in its own
 * transaction with the match's row locked; one that is newer than the market's current price and
 * differs from it is a price move, stored in the match's live feed and pushed.
 */
export class OddsIngestService {
  constructor(
    private readonly deps: {
      em: EntityManager;
      principal: Principal | null;
      pubSub: AppPubSub;
      sharedDataChanged: () => void;
    },
  ) {}

  async ingest(items: readonly BatchItem<NewOdds>[]): Promise<IngestOddsPayload> {
    if (items.length > MAX_EVENTS_PER_BATCH) {
      throw new LimitExceededError(`At most ${MAX_EVENTS_PER_BATCH} prices per batch`, MAX_EVENTS_PER_BATCH);
    }
    let changed = false;
    const outcomes = await applyBatch(items, async (input) => {
      checkOdds(input);
      const { created, odds, live, prediction } = await this.deps.em
        .fork()
        .transactional((em) => this.store(em, input));
      if (created) changed = true;
      if (live) this.deps.pubSub.publish(Topic.LIVE_UPDATE, { ...live, recordedAt: Date.now() });
      if (prediction) {
        this.deps.pubSub.publish(
          Topic.PREDICTION_UPDATED,
          prediction.match.id,
          predictionUpdatedPayload(...prediction.stored),
        );
      }
      return { created, result: odds };
    });
    if (changed) this.deps.sharedDataChanged();
    const count = (kind: string) => outcomes.filter((o) => o.outcome === kind).length;
    return {
      results: outcomes.map((o) => ({ index: o.index, outcome: o.outcome, odds: o.result, error: o.error })),
      recorded: count('RECORDED'),
      duplicates: count('DUPLICATE'),
      rejected: count('REJECTED'),
    };
  }

  private async store(
    em: EntityManager,
    input: NewOdds,
  ): Promise<{
    created: boolean;
    odds: Odds;
    live: LiveUpdate | null;
    prediction: { match: Match; stored: [Prediction, Match] } | null;
  }> {
    // The match's row lock orders its prices with its events (one live-feed sequence).
    const [matchRow] = await selectRows<MatchRow>(em, `select ${MATCH_COLUMNS} from match where id = ? for update`, [
      input.matchId,
    ]);
    if (!matchRow) throw new NotFoundError('Match', input.matchId);
    if (CLOSED.has(matchRow.status)) {
      throw new InvalidStateError(`prices of a ${matchRow.status} match no longer move`);
    }
    const key = [input.matchId, input.bookmaker, input.market, input.line];
    const [current] = await selectRows<OddsRow>(
      em,
      `select ${ODDS_COLUMNS} from odds where match_id = ? and bookmaker = ? and market = ? and line = ?
        order by ${CURRENT_ODDS_ORDER} limit 1`,
      key,
    );
    const audited = auditInsertFrom('inserted', this.deps.principal, 'odds.ingest', 'Odds', {
      matchId: input.matchId,
      bookmaker: input.bookmaker,
      market: input.market,
    });
    const [inserted] = await selectRows<OddsRow>(
      em,
      `with inserted as (
         insert into odds (match_id, bookmaker, market, line, prices, taken_at, closing)
         values (?, ?, ?, ?, ?::jsonb, ?, false)
         on conflict (match_id, bookmaker, market, line, closing, taken_at) do nothing
         returning ${ODDS_COLUMNS}),
       audited as (${audited.sql})
       select * from inserted`,
      [...key, JSON.stringify(input.prices), input.takenAt, ...audited.params],
    );
    if (!inserted) return { created: false, odds: await this.repeated(em, input), live: null, prediction: null };
    const moved =
      !current ||
      (current.taken_at === null || new Date(current.taken_at) < input.takenAt
        ? JSON.stringify(current.prices) !== JSON.stringify(input.prices)
        : false);
    const live = moved
      ? await appendLiveUpdate(
          em,
          LiveUpdateKind.PRICES_MOVED,
          { match: toMatchSnapshot(matchFromRow(matchRow)), odds: [inserted] },
          new Date(),
        )
      : null;
    const match = matchFromRow(matchRow);
    return {
      created: true,
      odds: oddsFromRow(inserted),
      live,
      prediction: moved ? await repriced(em, match, input) : null,
    };
  }

  // The same key again: a repeated delivery when the prices agree, a conflict when they do not.
  private async repeated(em: EntityManager, input: NewOdds): Promise<Odds> {
    const [existing] = await selectRows<OddsRow>(
      em,
      `select ${ODDS_COLUMNS} from odds
        where match_id = ? and bookmaker = ? and market = ? and line = ? and closing = false and taken_at = ?`,
      [input.matchId, input.bookmaker, input.market, input.line, input.takenAt],
    );
    if (!existing || JSON.stringify(existing.prices) !== JSON.stringify(input.prices)) {
      throw new ConflictError(
        `${input.bookmaker} already has other prices for this market at ${input.takenAt.toISOString()}`,
      );
    }
    return oddsFromRow(existing);
  }
}

function checkOdds(input: NewOdds): void {
  const expected = PRICES_PER_MARKET[input.market];
  if (input.prices.length !== expected) {
    throw new BadUserInputError(`${input.market} takes ${expected} prices, got ${input.prices.length}`, 'prices');
  }
  if (!input.prices.every((price) => Number.isFinite(price) && price > 1 && price <= 10_000)) {
    throw new BadUserInputError('prices are decimal odds above 1 (and at most 10000)', 'prices');
  }
  if (input.market === OddsMarket.ONE_X_TWO && input.line !== 0) {
    throw new BadUserInputError('ONE_X_TWO has no line: give 0', 'line');
  }
  if (!Number.isFinite(input.line) || Math.abs(input.line) > 20) {
    throw new BadUserInputError('line must be between -20 and 20', 'line');
  }
  if (input.takenAt.getTime() > Date.now() + MAX_CLOCK_AHEAD_MS) {
    throw new BadUserInputError('takenAt is in the future', 'takenAt');
  }
  if (input.bookmaker.trim() === '' || input.bookmaker.length > 64) {
    throw new BadUserInputError('bookmaker is 1 to 64 characters', 'bookmaker');
  }
}
