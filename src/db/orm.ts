import { DefaultLogger, type LoggerOptions, type LogContext, type LoggerNamespace } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import path from 'node:path';
import { migrationsList } from '../../migrations';
import { entities } from './entities';

export type Orm = MikroORM;

/** Receives every SQL statement MikroORM runs (used by tests to count queries). */
export type QueryListener = (sql: string) => void;

export interface OrmOptions {
  databaseUrl: string;
  debugSql?: boolean;
  onQuery?: QueryListener;
}

// MikroORM only reports queries through its logger; this one forwards them to a listener.
class QueryForwardingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly onQuery: QueryListener | undefined,
    private readonly echo: boolean,
  ) {
    super(options);
  }

  override log(namespace: LoggerNamespace, message: string, context?: LogContext): void {
    if (namespace === 'query' && this.onQuery) this.onQuery(context?.query ?? message);
    if (this.echo) super.log(namespace, message, context);
  }
}

export function ormConfig(options: OrmOptions): Options {
  return defineConfig({
    clientUrl: options.databaseUrl,
    entities,
    extensions: [Migrator],
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: options.onQuery || options.debugSql ? ['query'] : false,
    loggerFactory: (loggerOptions) => new QueryForwardingLogger(loggerOptions, options.onQuery, !!options.debugSql),
    pool: { min: 0, max: 10 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.resolve(__dirname, '../../migrations'),
      glob: 'Migration*.{js,ts}',
      migrationsList,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
  });
}

export async function createOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init(ormConfig(options));
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
