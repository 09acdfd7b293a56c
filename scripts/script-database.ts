import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';

/** Runs `fn` against the configured database (embedded when DATABASE_URL is unset). */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { serving: false });
  const database = await openDatabase(config, createLogger(config.logLevel));
  try {
    return await fn(database.url);
  } finally {
    await database.stop();
  }
}
