import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import DataLoader from 'dataloader';
import { selectByKeys, selectRows } from '../db/select';
import {
  EVENT_COLUMNS,
  eventFromRow,
  MATCH_COLUMNS,
  matchFromRow,
  ODDS_COLUMNS,
  ODDS_JSON_FIELDS,
  oddsFromRow,
} from './match.views';
import type { Odds } from './odds.entity';

export function createMatchLoaders(em: EntityManager) {
  return {
    matchById: uniqueLoader(
      selectByKeys(em, `select ${MATCH_COLUMNS} from match where id in (?)`, matchFromRow),
      (m) => m.id,
    ),
    eventById: uniqueLoader(
      selectByKeys(em, `select ${EVENT_COLUMNS} from match_event where id in (?)`, eventFromRow),
      (e) => e.id,
    ),
    oddsById: uniqueLoader(
      selectByKeys(em, `select ${ODDS_COLUMNS} from odds where id in (?)`, oddsFromRow),
      (o) => o.id,
    ),
    eventsByMatchId: groupLoader(
      selectByKeys(
        em,
        `select ${EVENT_COLUMNS} from match_event where match_id in (?) order by minute, id`,
        eventFromRow,
      ),
      (e) => e.match.id,
    ),
    // The list a match's odds field needs, built as JSON by PostgreSQL: one row per match
    // instead of ~20, and plain objects (JSON.parse) instead of a row object and a view each.
    oddsByMatchId: new DataLoader<number, Odds[]>(async (ids) => {
      const rows = await selectRows<{ match_id: number; odds: Odds[] }>(
        em,
        `select match_id, json_agg(json_build_object(${ODDS_JSON_FIELDS}) order by bookmaker, market, line, id) as odds
           from odds where match_id in (?) group by match_id`,
        [ids],
      );
      const byMatch = new Map(rows.map((row) => [row.match_id, row.odds]));
      return ids.map((id) => byMatch.get(id) ?? []);
    }),
  };
}
