import type { EntityManager } from '@mikro-orm/postgresql';
import { uniqueLoader, type BatchObserver } from '../db/batch';
import type { RelationBatch } from '../db/relation-batch';
import { selectByKeys } from '../db/select';
import type { MatchEvent } from './match-event.entity';
import {
  EVENT_COLUMNS,
  eventFromRow,
  EVENTS_OF_MATCHES,
  MATCH_COLUMNS,
  matchFromRow,
  ODDS_COLUMNS,
  ODDS_OF_MATCHES,
  oddsFromRow,
  LATEST_ODDS_OF_MATCHES,
} from './match.views';
import type { Odds } from './odds.entity';

export function createMatchLoaders(em: EntityManager, relations: RelationBatch, observe?: BatchObserver) {
  return {
    matchById: uniqueLoader(
      selectByKeys(em, `select ${MATCH_COLUMNS} from match where id in (?)`, matchFromRow),
      (m) => m.id,
      { name: 'matchById', observe },
    ),
    eventById: uniqueLoader(
      selectByKeys(em, `select ${EVENT_COLUMNS} from match_event where id in (?)`, eventFromRow),
      (e) => e.id,
      { name: 'eventById', observe },
    ),
    oddsById: uniqueLoader(
      selectByKeys(em, `select ${ODDS_COLUMNS} from odds where id in (?)`, oddsFromRow),
      (o) => o.id,
      { name: 'oddsById', observe },
    ),
    // Plain objects from PostgreSQL's JSON, read with the match's other relations in one statement.
    eventsByMatchId: {
      load: async (matchId: number) => (await relations.load<MatchEvent[]>(EVENTS_OF_MATCHES, matchId)) ?? [],
    },
    oddsByMatchId: {
      load: async (matchId: number) => (await relations.load<Odds[]>(ODDS_OF_MATCHES, matchId)) ?? [],
    },
    latestOddsByMatchId: {
      load: async (matchId: number) => (await relations.load<Odds[]>(LATEST_ODDS_OF_MATCHES, matchId)) ?? [],
    },
  };
}
