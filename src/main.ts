import { setTimeout as delay } from 'node:timers/promises';
import type { App } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { EmbeddedPostgresError } from './db/embedded-postgres-checks';
import { createLogger, type Logger } from './logger';
import { startTracing, type Tracing } from './tracing/tracing';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function main(): Promise<void> {
  const config = loadConfig();
  // Before the server's modules load: the instrumentations patch pg, Redis and http as they load.
  const tracing = config.tracing ? await startTracing(config.tracing) : null;
  const logger = createLogger(config.logLevel, undefined, {
    pretty: config.env === 'development' && process.stdout.isTTY === true,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after tracing started, on purpose
  const { createApp } = require('./app') as typeof import('./app');
  const app = await createApp(config, { logger });
  if (config.tracing) {
    const { exporter, endpoint, sampler } = config.tracing;
    logger.info({ exporter, endpoint: exporter === 'otlp' ? endpoint : undefined, sampler }, 'tracing on');
  }
  logger.info(`Matchcast GraphQL API and GraphiQL explorer: ${app.url}`);
  if (app.demo) {
    const { tenantSlug, apiKey, otherTenant } = app.demo;
    const where = app.graphiqlHasDemoKey ? ", also in GraphiQL's headers" : '';
    logger.info(`Demo tenant "${tenantSlug}" OWNER API key (with the OPERATOR and INGEST scopes): ${apiKey}${where}`);
    logger.info(`Demo tenant "${otherTenant.tenantSlug}" OWNER API key (to compare tenants): ${otherTenant.apiKey}`);
  }
  stopOnSignals(app, config, logger, tracing);
}

/**
 * This process owns its shutdown order. embedded-postgres installs SIGINT/SIGTERM handlers (its
 * async-exit-hook) that stop the database and exit 130/143 while requests are still being
 * drained; they are removed here, and `app.close()` stops the database last. Its `exit` hook
 * stays: a process that dies anyway still stops its embedded PostgreSQL.
 */
function stopOnSignals(app: App, config: AppConfig, logger: Logger, tracing: Tracing | null): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { shutdownTimeoutMs, shutdownDelayMs } = config;
    logger.info({ signal, shutdownTimeoutMs, shutdownDelayMs }, 'shutting down');
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown did not finish within SHUTDOWN_TIMEOUT_MS: exiting anyway');
      process.exit(1);
    }, shutdownTimeoutMs);
    app.markShuttingDown();
    // Load balancers see /readyz fail before the listener goes away.
    if (shutdownDelayMs > 0) await delay(shutdownDelayMs);
    await app.close();
    // The spans of the last requests are still buffered.
    await tracing?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'could not send the last spans'));
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  // Both name the variable to change: a stack trace would only hide that.
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
