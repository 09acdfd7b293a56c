import type { EntityManager } from '@mikro-orm/postgresql';
import { selectTenantRows } from '../db/tenant-scope';
import DataLoader from 'dataloader';
import type { Principal } from '../auth/principal';
import { toConnection, type Connection } from '../common/connection';
import { BadUserInputError } from '../errors';
import { tenantIdOf } from '../watchlists/tenant-of';
import type { AlertEvent } from './alert-event.entity';
import { ALERT_EVENT_COLUMNS, alertEventFromRow, type AlertEventRow } from './alert.views';

/** The caller's tenant's past alerts. Every statement has the tenant in its condition. */
export class AlertEventService {
  // Made on first use: most requests never look a row up by id.
  private loader: DataLoader<number, AlertEvent | null> | undefined;

  constructor(private readonly deps: { em: EntityManager; principal: Principal | null }) {}

  private get byIdLoader(): DataLoader<number, AlertEvent | null> {
    this.loader ??= new DataLoader(async (ids) => {
      const rows = await selectTenantRows<AlertEventRow>(
        this.deps.em,
        tenantIdOf(this.deps.principal),
        `select ${ALERT_EVENT_COLUMNS} from alert_event where tenant_id = ? and id in (?)`,
        [tenantIdOf(this.deps.principal), ids],
      );
      const byId = new Map(rows.map((row) => [row.id, alertEventFromRow(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    return this.loader;
  }

  /** Newest first, keyset-paginated by id. */
  async page(limit: number, after: unknown[] | null): Promise<Connection<AlertEvent>> {
    const tenantId = tenantIdOf(this.deps.principal);
    const before = after ? afterCursor(after) : null;
    const [rows, [{ count }]] = (await Promise.all([
      selectTenantRows<AlertEventRow>(
        this.deps.em,
        tenantIdOf(this.deps.principal),
        `select ${ALERT_EVENT_COLUMNS} from alert_event
          where tenant_id = ?${before === null ? '' : ' and id < ?'} order by id desc limit ?`,
        before === null ? [tenantId, limit + 1] : [tenantId, before, limit + 1],
      ),
      selectTenantRows<{ count: number }>(
        this.deps.em,
        tenantIdOf(this.deps.principal),
        'select count(*)::int as count from alert_event where tenant_id = ?',
        [tenantId],
      ),
    ])) as [AlertEventRow[], [{ count: number }]];
    return toConnection(rows.map(alertEventFromRow), limit, count, (alert) => [alert.id]);
  }

  /** One of the tenant's alerts; null for another tenant's, as for one that does not exist. */
  byId(id: number): Promise<AlertEvent | null> {
    return this.byIdLoader.load(id);
  }
}

function afterCursor(after: unknown[]): number {
  const [id] = after;
  if (after.length !== 1 || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return id;
}
