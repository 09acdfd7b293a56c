import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { inTenantScope, selectTenantRows } from '../db/tenant-scope';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Principal } from '../auth/principal';
import { toGlobalId } from '../common/global-id';
import { Competition } from '../competitions/competition.entity';
import { selectRows } from '../db/select';
import { ConflictError, NotFoundError } from '../errors';
import { Match } from '../matches/match.entity';
import { Team } from '../teams/team.entity';
import { audit } from '../tenants/audit';
import { Tenant } from '../tenants/tenant.entity';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import { tenantIdOf } from './tenant-of';
import { checkTargetExists, targetColumns, type Target } from './watch-target';
import { WatchlistItem } from './watchlist-item.entity';
import { WATCHLIST_COLUMNS, watchlistItemFromRow, type WatchlistItemRow } from './watchlist.views';

/** The caller's tenant's watchlist. Every statement has the tenant in its condition. */
export class WatchlistService {
  // Made on first use: most requests never look a row up by id.
  private loader: DataLoader<number, WatchlistItem | null> | undefined;

  constructor(
    private readonly deps: {
      em: EntityManager;
      principal: Principal | null;
      /** Told of each change, for the tenant's `liveFeed(filter: { watchlist: true })` feeds. */
      pubSub?: AppPubSub;
    },
  ) {}

  private get byIdLoader(): DataLoader<number, WatchlistItem | null> {
    this.loader ??= new DataLoader(async (ids) => {
      const rows = await selectTenantRows<WatchlistItemRow>(
        this.deps.em,
        tenantIdOf(this.deps.principal),
        `select ${WATCHLIST_COLUMNS} from watchlist_item where tenant_id = ? and id in (?)`,
        [tenantIdOf(this.deps.principal), ids],
      );
      const byId = new Map(rows.map((row) => [row.id, watchlistItemFromRow(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    return this.loader;
  }

  /** Oldest first. */
  async list(): Promise<WatchlistItem[]> {
    const rows = await selectTenantRows<WatchlistItemRow>(
      this.deps.em,
      tenantIdOf(this.deps.principal),
      `select ${WATCHLIST_COLUMNS} from watchlist_item where tenant_id = ? order by created_at, id`,
      [tenantIdOf(this.deps.principal)],
    );
    return rows.map(watchlistItemFromRow);
  }

  /** What the tenant follows, as database ids by kind (what a watchlist `liveFeed` follows). */
  async followed(): Promise<{ competitions: number[]; teams: number[]; matches: number[] }> {
    const items = await this.list();
    const ids = (pick: (item: WatchlistItem) => { id: number } | null | undefined) =>
      items.flatMap((item) => {
        const ref = pick(item);
        return ref ? [ref.id] : [];
      });
    return { competitions: ids((i) => i.competition), teams: ids((i) => i.team), matches: ids((i) => i.match) };
  }

  /** One of the tenant's items; null for an id of another tenant's, as for one that does not exist. */
  byId(id: number): Promise<WatchlistItem | null> {
    return this.byIdLoader.load(id);
  }

  /** CONFLICT when the tenant already follows the target. */
  async watch(target: Target): Promise<WatchlistItem> {
    const tenantId = tenantIdOf(this.deps.principal);
    try {
      const item = await inTenantScope(this.deps.em, tenantIdOf(this.deps.principal), async (em) => {
        await checkTargetExists(em, target);
        const ids = targetColumns(target);
        const item = em.create(WatchlistItem, {
          tenant: em.getReference(Tenant, tenantId),
          team: ids.team === null ? null : em.getReference(Team, ids.team),
          match: ids.match === null ? null : em.getReference(Match, ids.match),
          competition: ids.competition === null ? null : em.getReference(Competition, ids.competition),
        });
        await em.flush();
        audit(
          em,
          this.deps.principal,
          'watchlist.watch',
          { type: 'WatchlistItem', id: item.id },
          {
            target: toGlobalId(target.kind, target.id),
          },
        );
        return item;
      });
      this.changed(tenantId);
      return item;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(`your watchlist already has this ${target.kind.toLowerCase()}`);
      }
      throw error;
    }
  }

  /** Removes one of the tenant's items; NOT_FOUND for another tenant's. Returns its id. */
  async unwatch(id: number): Promise<number> {
    const tenantId = tenantIdOf(this.deps.principal);
    await inTenantScope(this.deps.em, tenantIdOf(this.deps.principal), async (em) => {
      const [deleted] = await selectRows<WatchlistItemRow>(
        em,
        `delete from watchlist_item where id = ? and tenant_id = ? returning ${WATCHLIST_COLUMNS}`,
        [id, tenantId],
      );
      if (!deleted) throw new NotFoundError('WatchlistItem', id);
      const target = targetOfRow(deleted);
      audit(
        em,
        this.deps.principal,
        'watchlist.unwatch',
        { type: 'WatchlistItem', id },
        {
          target: toGlobalId(target.kind, target.id),
        },
      );
      await em.flush();
    });
    this.changed(tenantId);
    return id;
  }

  private changed(tenantId: number): void {
    this.deps.pubSub?.publish(Topic.WATCHLIST_CHANGED, tenantId, { tenantId });
  }
}

function targetOfRow(row: WatchlistItemRow): Target {
  if (row.team_id !== null) return { kind: 'Team', id: row.team_id };
  if (row.match_id !== null) return { kind: 'Match', id: row.match_id };
  return { kind: 'Competition', id: row.competition_id! };
}
