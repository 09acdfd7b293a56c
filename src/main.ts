import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { EmbeddedPostgresError } from './db/embedded-postgres-checks';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, undefined, {
    pretty: config.env === 'development' && process.stdout.isTTY === true,
  });
  const app = await createApp(config, { logger });
  logger.info(`Matchcast GraphQL API and GraphiQL explorer: ${app.url}`);
  if (app.demo) {
    const { tenantSlug, apiKey, otherTenant } = app.demo;
    logger.info(`Demo tenant "${tenantSlug}" OWNER API key (with the OPERATOR and INGEST scopes): ${apiKey}`);
    logger.info(`Demo tenant "${otherTenant.tenantSlug}" OWNER API key (to compare tenants): ${otherTenant.apiKey}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Both name the variable to change: a stack trace would only hide that.
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
