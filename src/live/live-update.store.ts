import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayParameter, selectRows } from '../db/select';
import { LimitExceededError } from '../errors';
import { scopeCondition, type LiveFeedScope } from './live-feed.scope';
import type { LiveUpdateSource } from './live-sequencer';
import { LIVE_UPDATE_COLUMNS, liveUpdateFromRow, type LiveUpdate, type LiveUpdateRow } from './live-update';

/** At most this many missed updates are sent to a resuming client; beyond, it must start afresh. */
export const MAX_RESUMED_UPDATES = 10_000;

const LU_COLUMNS = LIVE_UPDATE_COLUMNS.split(', ')
  .map((column) => `lu.${column}`)
  .join(', ');

/** The stored updates the sequencer reads when pub/sub lost some. */
export function liveUpdateSource(em: () => EntityManager): LiveUpdateSource {
  return {
    async between(matchId, after, before, createdSince) {
      const rows = await selectRows<LiveUpdateRow>(
        em(),
        `select ${LIVE_UPDATE_COLUMNS} from live_update
          where match_id = ? and seq > ? and seq < ? and (?::boolean or created_at >= ?)
          order by seq limit ${MAX_RESUMED_UPDATES}`,
        [matchId, after ?? 0, before ?? 2_147_483_647, after !== null, createdSince],
      );
      return rows.map(liveUpdateFromRow);
    },
    async latest(createdSince) {
      const rows = await selectRows<{ match_id: number; seq: number }>(
        em(),
        'select match_id, max(seq) as seq from live_update where created_at >= ? group by match_id',
        [createdSince],
      );
      return new Map(rows.map((row) => [row.match_id, row.seq]));
    },
  };
}

/** Where a resuming client was: the last sequence it saw per match, and its latest update's time. */
export interface ResumePoint {
  positions: Map<number, number>;
  /** Matches not in `positions`: their updates created after this (less a clock allowance) were missed. */
  after: Date | null;
}

/** Updates of the scope's matches after the resume point, per match in sequence order. */
export async function readMissedUpdates(
  em: EntityManager,
  scope: LiveFeedScope,
  resume: ResumePoint,
): Promise<LiveUpdate[]> {
  const condition = scopeCondition(scope);
  const matchIds = [...resume.positions.keys()];
  const rows = await selectRows<LiveUpdateRow>(
    em,
    `select ${LU_COLUMNS} from live_update lu
       join match m on m.id = lu.match_id
       left join unnest(?::int[], ?::int[]) as p(match_id, seq) on p.match_id = lu.match_id
      where ${condition.sql}
        and (lu.seq > p.seq or (p.match_id is null and lu.created_at > ?::timestamptz - interval '10 seconds'))
      order by lu.match_id, lu.seq
      limit ${MAX_RESUMED_UPDATES + 1}`,
    [
      intArrayParameter(matchIds),
      intArrayParameter(matchIds.map((id) => resume.positions.get(id)!)),
      ...condition.params,
      resume.after,
    ],
  );
  if (rows.length > MAX_RESUMED_UPDATES) {
    throw new LimitExceededError(
      `More than ${MAX_RESUMED_UPDATES} updates were missed: read the matches' state and subscribe again without since`,
      MAX_RESUMED_UPDATES,
    );
  }
  return rows.map(liveUpdateFromRow);
}
