import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { OperationType } from '../tenants/operation-type';

/** How often each process adds its counts to `tenant_usage`. */
export const USAGE_FLUSH_MS = 5000;

interface Counts {
  tenantId: number;
  day: string;
  operationType: OperationType;
  operations: number;
  cost: number;
  rateLimited: number;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const UPSERT = `insert into tenant_usage (tenant_id, day, operation_type, operations, cost, rate_limited)
  select u.tenant_id, u.day, u.operation_type, u.operations, u.cost, u.rate_limited
    from jsonb_to_recordset(?::jsonb)
      as u(tenant_id int, day date, operation_type text, operations bigint, cost bigint, rate_limited bigint)
    join tenant t on t.id = u.tenant_id
  on conflict (tenant_id, day, operation_type) do update set
    operations = tenant_usage.operations + excluded.operations,
    cost = tenant_usage.cost + excluded.cost,
    rate_limited = tenant_usage.rate_limited + excluded.rate_limited`;

/**
 * Counts each tenant's operations by UTC day and type in memory and adds them to `tenant_usage`
 * every `USAGE_FLUSH_MS` in one upsert per process (and on close). Why not a write per request:
 * a request would then wait on, or at least queue, a database write, and hot tenants would
 * contend on one row; why not Redis `HINCRBY`: that is a round trip per request too, and
 * usage must be kept without Redis as well. The price: a crash loses at most the last few
 * seconds of counts, and another instance's latest counts show up at its next flush.
 *
 * The upsert runs on the ORM's pool through knex, outside MikroORM's query logger: it belongs
 * to no request (tests that count a request's statements must not see it at random).
 */
export class UsageRecorder {
  private pending = new Map<string, Counts>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  // The day changes once a day: `toISOString` once per day, not once per request.
  private dayEndsAt = 0;
  private day = '';

  constructor(private readonly options: { knex: () => Knex; logger: Logger; flushMs?: number }) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? USAGE_FLUSH_MS).unref();
  }

  /** Counts an admitted operation and its cost. */
  record(tenantId: number, operationType: OperationType, cost: number, now = Date.now()): void {
    const counts = this.countsOf(tenantId, operationType, now);
    counts.operations += 1;
    counts.cost += cost;
  }

  /** Counts an operation refused with RATE_LIMITED. */
  recordRefusal(tenantId: number, operationType: OperationType, now = Date.now()): void {
    this.countsOf(tenantId, operationType, now).rateLimited += 1;
  }

  /** Adds what was counted so far to the table (after the previous flush, if one is running). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private countsOf(tenantId: number, operationType: OperationType, now: number): Counts {
    if (now >= this.dayEndsAt || now < this.dayEndsAt - 86_400_000) {
      this.day = utcDay(now);
      this.dayEndsAt = Date.parse(`${this.day}T00:00:00Z`) + 86_400_000;
    }
    const key = `${tenantId}:${this.day}:${operationType}`;
    let counts = this.pending.get(key);
    if (!counts) {
      counts = { tenantId, day: this.day, operationType, operations: 0, cost: 0, rateLimited: 0 };
      this.pending.set(key, counts);
    }
    return counts;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const rows = [...batch.values()].map((c) => ({
      tenant_id: c.tenantId,
      day: c.day,
      operation_type: c.operationType,
      operations: c.operations,
      cost: c.cost,
      rate_limited: c.rateLimited,
    }));
    try {
      await this.options.knex().raw(UPSERT, [JSON.stringify(rows)]);
    } catch (error) {
      // Kept for the next flush: counts are late, not lost, while the database is away.
      this.options.logger.warn({ err: error, rows: rows.length }, 'storing usage counts failed; retrying later');
      for (const [key, counts] of batch) {
        const newer = this.pending.get(key);
        if (newer) {
          newer.operations += counts.operations;
          newer.cost += counts.cost;
          newer.rateLimited += counts.rateLimited;
        } else this.pending.set(key, counts);
      }
    }
  }
}
