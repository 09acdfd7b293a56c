import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** Stops the embedded server, if one was started. */
  stop(): Promise<void>;
}

/** Resolves the database to use: DATABASE_URL, or an embedded PostgreSQL when it is unset. */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  logger.info({ dir: config.embeddedPostgres.dir }, 'DATABASE_URL unset: starting embedded PostgreSQL');
  const handle = await startEmbeddedPostgres({
    dir: config.embeddedPostgres.dir,
    port: config.embeddedPostgres.port,
    database: 'matchcast',
    logger,
  });
  return { url: handle.url, embedded: true, stop: handle.stop };
}
