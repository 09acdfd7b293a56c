import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { createApp, type App } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { GraphqlClient } from './graphql-client';

export interface TestApp {
  app: App;
  config: AppConfig;
  /** Client with no API key. */
  anonymous: GraphqlClient;
  client(apiKey: string): GraphqlClient;
  /** SQL statements run by the app since the last `resetQueries()`. */
  queries: string[];
  resetQueries(): void;
}

/**
 * Starts the real server on an ephemeral port against the run's test database; it is closed
 * after the file's tests. Redis is used when REDIS_URL is set, under a namespace of its own.
 */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  options: { logLines?: Record<string, unknown>[]; logLevel?: string } = {},
): Promise<TestApp> {
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test' }),
    host: '127.0.0.1',
    port: 0,
    databaseUrl: inject('databaseUrl'),
    redisUrl: process.env.REDIS_URL,
    redisNamespace: `test-${randomBytes(6).toString('hex')}`,
    migrateOnStart: false,
    seedDemo: false,
    // Tests write data behind the API's back (factories); the response cache has tests of its own.
    responseCache: false,
    ...overrides,
  };
  const queries: string[] = [];
  const app = await createApp(config, {
    logger: options.logLines
      ? createLogger(options.logLevel ?? 'warn', {
          write: (line: string) => options.logLines!.push(JSON.parse(line) as Record<string, unknown>),
        })
      : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    onQuery: (sql) => queries.push(sql),
  });
  afterAll(() => app.close());
  return {
    app,
    config,
    anonymous: new GraphqlClient(app.url),
    client: (apiKey) => new GraphqlClient(app.url, apiKey),
    queries,
    resetQueries: () => {
      queries.length = 0;
    },
  };
}
