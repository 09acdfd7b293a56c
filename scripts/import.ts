// npm run import -- <files or folders>: football-data.co.uk CSVs into the database.
import { cacheKeys, createCache } from '../src/cache/cache';
import { announceSharedDataChange } from '../src/cache/response-cache';
import { loadConfig } from '../src/config';
import { createOrm, migrate } from '../src/db/orm';
import { createLogger } from '../src/logger';
import { createAppPubSub } from '../src/pubsub/pubsub';
import { collectCsvFiles, formatProgress, importFiles } from '../src/matches/import/import-files';
import { withDatabase } from './script-database';

async function main(): Promise<number> {
  const inputs = process.argv.slice(2).filter((arg) => arg !== '--');
  if (inputs.length === 0) {
    console.error('usage: npm run import -- <csv files or folders>');
    return 2;
  }
  const files = collectCsvFiles(inputs);
  return withDatabase(async (url) => {
    const orm = await createOrm({ databaseUrl: url });
    try {
      await migrate(orm);
      const started = Date.now();
      const summary = await importFiles(orm, files, (p) => console.error(formatProgress(p)));
      console.error(
        `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.files} files, ` +
          `${summary.matchesCreated} matches new, ${summary.matchesUpdated} updated, ` +
          `${summary.oddsWritten} odds written, ${summary.badRows} bad rows, ${summary.warnings} warnings, ` +
          `${summary.failedFiles} files failed`,
      );
      await forgetCachedCopies(summary.updatedMatchIds);
      return summary.failedFiles > 0 ? 1 : 0;
    } finally {
      await orm.close();
    }
  });
}

// Servers sharing a Redis cache see the import at once; in-memory caches expire by TTL.
async function forgetCachedCopies(updatedMatchIds: number[]): Promise<void> {
  const config = loadConfig(process.env, { serving: false });
  if (!config.redisUrl) return;
  const cache = createCache({
    redisUrl: config.redisUrl,
    namespace: config.redisNamespace,
    ttlSeconds: config.cacheTtlSeconds,
    logger: createLogger('warn'),
  });
  await cache.invalidate(cacheKeys.competitions(), ...updatedMatchIds.map((id) => cacheKeys.match(id)));
  await cache.close();
  const logger = createLogger('warn');
  const pubSub = createAppPubSub({ redisUrl: config.redisUrl, namespace: config.redisNamespace, logger });
  try {
    await pubSub.ready();
    announceSharedDataChange(null, pubSub.pubSub);
  } catch (error) {
    logger.warn({ err: error }, 'could not tell the servers; their cached answers expire with CACHE_TTL_SECONDS');
  } finally {
    await pubSub.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
