import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, uniqueLoader } from '../db/batch';
import { selectByKeys } from '../db/select';
import { EVENT_COLUMNS, eventFromRow, MATCH_COLUMNS, matchFromRow, ODDS_COLUMNS, oddsFromRow } from './match.views';

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
    oddsByMatchId: groupLoader(
      selectByKeys(
        em,
        `select ${ODDS_COLUMNS} from odds where match_id in (?) order by bookmaker, market, line, id`,
        oddsFromRow,
      ),
      (o) => o.match.id,
    ),
  };
}
