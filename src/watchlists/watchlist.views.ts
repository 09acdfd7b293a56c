import { idRef, readViewFactory } from '../db/read-view';
import { timestampOf } from '../db/select';
import { WatchlistItem } from './watchlist-item.entity';

// Every statement reading these rows takes the caller's tenant as a parameter (see the service).
export const WATCHLIST_COLUMNS = 'id, tenant_id, team_id, match_id, competition_id, created_at';

export interface WatchlistItemRow {
  id: number;
  tenant_id: number;
  team_id: number | null;
  match_id: number | null;
  competition_id: number | null;
  created_at: string;
}

const watchlistItemView = readViewFactory(WatchlistItem);

export function watchlistItemFromRow(row: WatchlistItemRow): WatchlistItem {
  return watchlistItemView({
    id: row.id,
    tenant: idRef(row.tenant_id),
    team: row.team_id === null ? null : idRef(row.team_id),
    match: row.match_id === null ? null : idRef(row.match_id),
    competition: row.competition_id === null ? null : idRef(row.competition_id),
    createdAt: timestampOf(row.created_at),
  });
}
