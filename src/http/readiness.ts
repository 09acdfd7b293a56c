import type { Orm } from '../db/orm';
import type { HealthCheck } from './health';

/** Whether the server is shutting down: readiness turns false first, before anything closes. */
export class Lifecycle {
  shuttingDown = false;
}

/** Migration status is read at most this often: probes every few seconds must stay cheap. */
const MIGRATIONS_CACHE_MS = 10_000;

export interface ReadinessSources {
  orm: Orm;
  lifecycle: Lifecycle;
  /** Round trips to Redis (cache, pub/sub), when Redis is configured. */
  redis?: { cache(): Promise<void>; pubSub(): Promise<void> };
}

/** What `/readyz` checks: not shutting down, database reachable, migrations current, Redis reachable. */
export function readinessChecks(sources: ReadinessSources): HealthCheck[] {
  const checks: HealthCheck[] = [
    {
      name: 'shutdown',
      run: async () => {
        if (sources.lifecycle.shuttingDown) throw new Error('shutting down');
      },
    },
    {
      name: 'database',
      run: async () => {
        await sources.orm.em.getConnection().execute('select 1');
      },
    },
    migrationsCheck(sources.orm),
  ];
  const redis = sources.redis;
  if (redis) {
    checks.push({ name: 'cache', run: () => redis.cache() }, { name: 'pubSub', run: () => redis.pubSub() });
  }
  return checks;
}

// MikroORM's migrator decides what is pending; a "current" or "pending" answer is kept briefly.
function migrationsCheck(orm: Orm): HealthCheck {
  let known: { pending: string[]; at: number } | null = null;
  return {
    name: 'migrations',
    run: async () => {
      if (!known || Date.now() - known.at > MIGRATIONS_CACHE_MS) {
        const pending = await orm.getMigrator().getPendingMigrations();
        known = { pending: pending.map((migration) => migration.name), at: Date.now() };
      }
      if (known.pending.length) throw new Error(`pending migrations: ${known.pending.join(', ')}`);
    },
  };
}
