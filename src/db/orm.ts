import { DefaultLogger, type LoggerOptions, type LogContext, type LoggerNamespace } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import path from 'node:path';
import { migrationsList } from '../../migrations';
import type { Logger } from '../logger';
import { entities } from './entities';
import { usePreparedStatements } from './prepared';

export type Orm = MikroORM;

/** Receives every SQL statement MikroORM runs (used by tests to count queries). */
export type QueryListener = (sql: string) => void;

export interface OrmOptions {
  databaseUrl: string;
  debugSql?: boolean;
  onQuery?: QueryListener;
  /**
   * PostgreSQL `statement_timeout` of every pooled connection, in ms: a statement running longer
   * is cancelled (error 57014). Unset: no limit (scripts, imports).
   */
  statementTimeoutMs?: number;
  /** Hot reads as named prepared statements (`selectPrepared`); default true. */
  preparedStatements?: boolean;
  /** Where knex's own warnings go (e.g. "Connection Error" when PostgreSQL restarts); unset: the console. */
  logger?: Logger;
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
    driverOptions: {
      // pg sends it when each connection opens: no statement per request or per checkout.
      ...(options.statementTimeoutMs ? { connection: { statement_timeout: options.statementTimeoutMs } } : {}),
      ...(options.logger ? { log: knexLog(options.logger) } : {}),
    },
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

// knex writes to the console otherwise: plain text lines among the JSON ones.
function knexLog(logger: Logger) {
  return {
    warn: (message: unknown) => logger.warn({ knex: String(message) }, 'database driver warning'),
    error: (message: unknown) => logger.error({ knex: String(message) }, 'database driver error'),
    deprecate: (method: unknown, alternative: unknown) =>
      logger.debug({ knex: `${String(method)} is deprecated: use ${String(alternative)}` }),
    debug: (message: unknown) => logger.debug({ knex: String(message) }),
  };
}

export async function createOrm(options: OrmOptions): Promise<Orm> {
  const orm = await MikroORM.init(ormConfig(options));
  usePreparedStatements(orm.em.getConnection(), options.preparedStatements ?? true);
  return orm;
}

/** Applies pending migrations, all in one transaction; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const connection = orm.em.getConnection();
  const applied = await connection.transactional(async (transaction) => {
    // A migration may rewrite a large table: the statement timeout is for requests.
    await connection.execute('set local statement_timeout = 0', [], 'run', transaction);
    return orm.getMigrator().up({ transaction });
  });
  return applied.map((m) => m.name);
}
