import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { jwtVerifier } from './auth/jwt';
import { forgetRevokedCredentials, PrincipalCache } from './auth/principal-cache';
import { createCache } from './cache/cache';
import { clearOnRemoteChanges, ResponseCache } from './cache/response-cache';
import { metricsGuarded, type AppConfig } from './config';
import {
  ingestCorrectionsWebhook,
  ingestOddsWebhook,
  ingestWebhook,
  INGEST_CORRECTIONS_PATH,
  INGEST_EVENTS_PATH,
  INGEST_ODDS_PATH,
} from './http/ingest-webhook';
import { authenticate, createContext, type AppContext, type AppDependencies, type Authentication } from './context';
import { openDatabase } from './db/database';
import { createOrm, migrate, type Orm, type QueryListener } from './db/orm';
import { demoKeyInGraphiql } from './demo/demo-key';
import { seedDemo, type DemoSeed } from './demo/seed';
import { startLiveDemo } from './demo/live-demo';
import { createErrorFormatter, isAppError, type RateLimitedError } from './errors';
import { createArmor, MAX_TOKENS, PARSE_OPTIONS } from './http/armor';
import { AUTHENTICATION, cachedResponses, QUOTA_REFUSAL } from './http/cached-responses';
import { corsFor } from './http/cors';
import { graphiqlRouter } from './http/graphiql';
import { exampleOperations } from './http/example-operations';
import { healthRouter, type HealthCheck } from './http/health';
import { errorLogOverHttp, operationLogOverHttp, withFailedRequestId } from './http/operation-log';
import { Lifecycle, readinessChecks } from './http/readiness';
import { introspectionForMembersOnly } from './http/introspection';
import { jitGateway } from './http/jit-executor';
import { statusCodesOfGraphqlOverHttp } from './http/graphql-over-http';
import { jsonErrors, notFound } from './http/json-errors';
import { shedLoad } from './http/overload';
import { checkStringsOverHttp } from './http/string-limits';
import { rejectSubscriptionsOverHttp } from './http/subscriptions-over-http';
import { requestId, requestIdOf } from './http/request-id';
import { TrustedDocuments, trustedDocumentsOverHttp } from './http/trusted-documents';
import { attachGraphqlWs } from './http/websocket';
import { createLogger, type Logger } from './logger';
import { createAppPubSub, type PubSubHandle } from './pubsub/pubsub';
import { startLiveSequencer } from './live/live-feed.wiring';
import { createQuotas } from './quotas/quotas';
import { quotasOverHttp } from './quotas/quotas.plugin';
import {
  AppMetrics,
  graphqlMetricsPlugin,
  METRICS_PATH,
  metricsHandler,
  poolUsageOf,
  predictionQualityOf,
  startMetricsServer,
  timeRootFields,
} from './metrics/prometheus';
import { createSchema } from './schema';
import { graphqlTracingPlugin, traceResolvers } from './tracing/graphql-tracing';
import { skipUnsampled, tracingActive } from './tracing/spans';

export const GRAPHQL_PATH = '/graphql';

export interface AppOptions {
  logger?: Logger;
  /** Sees every SQL statement (tests count them). */
  onQuery?: QueryListener;
}

export interface App {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
  orm: Orm;
  deps: AppDependencies;
  /** Demo tenant and key, when demo seeding ran. */
  demo: DemoSeed | null;
  /** GraphiQL's default headers carry the demo key (see GRAPHIQL_DEMO_KEY). */
  graphiqlHasDemoKey: boolean;
  /** Where Prometheus scrapes: on the API's port, or METRICS_PORT's. */
  metricsUrl: string;
  /** First step of a shutdown: `/readyz` answers 503 from now on; everything else still runs. */
  markShuttingDown(): void;
  /**
   * Graceful stop, in order: unready; WebSockets closed with 1001 and HTTP drained (no new
   * connections, requests in flight finish, for at most half of SHUTDOWN_TIMEOUT_MS); quotas,
   * pub/sub, cache, database, then the embedded PostgreSQL.
   */
  close(): Promise<void>;
}

/** Builds and starts the whole server from a config; `close()` releases everything it opened. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const disposers: (() => Promise<void>)[] = [];
  const lifecycle = new Lifecycle();
  const close = async () => {
    lifecycle.shuttingDown = true;
    for (const dispose of disposers.splice(0).reverse()) {
      await dispose().catch((error: unknown) => logger.error({ err: error }, 'error while closing'));
    }
  };
  try {
    // First: a manifest that cannot be read stops the start before anything opens.
    const trustedDocuments = config.trustedDocuments ? TrustedDocuments.load(config.trustedDocuments) : null;
    const metrics = new AppMetrics({ tenantLabels: metricsGuarded(config.metrics) });
    const database = await openDatabase(config, logger);
    disposers.push(() => database.stop());
    const orm = await createOrm({
      databaseUrl: database.url,
      onQuery: options.onQuery,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      preparedStatements: config.dbPreparedStatements,
      logger,
    });
    disposers.push(() => orm.close());
    // knex reports every statement it sends (MikroORM's query log would format each one).
    orm.em
      .getConnection()
      .getKnex()
      .on('query', (query: { sql: string }) => metrics.statementRun(query.sql));
    metrics.readFrom({
      pool: poolUsageOf(orm),
      ready: () => orm.isConnected(),
      predictionQuality: predictionQualityOf(orm, logger),
    });
    if (config.migrateOnStart) {
      const applied = await migrate(orm);
      if (applied.length) logger.info({ applied }, 'applied migrations');
    }
    const cache = createCache({
      redisUrl: config.redisUrl,
      namespace: config.redisNamespace,
      ttlSeconds: config.cacheTtlSeconds,
      logger,
      stats: metrics.cacheStats('keyv'),
    });
    disposers.push(() => cache.close());
    const pubSub = createAppPubSub({ redisUrl: config.redisUrl, namespace: config.redisNamespace, logger });
    disposers.push(() => pubSub.close());
    const responseCache = config.responseCache
      ? new ResponseCache(config.cacheTtlSeconds * 1000, metrics.cacheStats('response'))
      : null;
    if (responseCache) {
      const stopClearing = clearOnRemoteChanges(responseCache, pubSub.pubSub);
      disposers.push(async () => stopClearing());
    }
    const principals =
      config.authCacheTtlSeconds > 0
        ? new PrincipalCache(config.authCacheTtlSeconds * 1000, metrics.cacheStats('principal'))
        : null;
    if (principals) {
      const stopForgetting = forgetRevokedCredentials(principals, pubSub.pubSub, pubSub.onSubscriberReady);
      disposers.push(async () => stopForgetting());
    }
    const quotas = await createQuotas({
      orm,
      pubSub: pubSub.pubSub,
      logger,
      redisUrl: config.redisUrl,
      namespace: config.redisNamespace,
      metrics,
    });
    disposers.push(() => quotas.close());
    const live = startLiveSequencer({ orm, pubSub, logger, sweepSeconds: config.liveFeedSweepSeconds });
    disposers.push(async () => live.stop());
    const deps: AppDependencies = {
      orm,
      live: live.sequencer,
      cache,
      principals,
      responseCache,
      pubSub: pubSub.pubSub,
      config,
      logger,
      quotas,
      jwt: config.jwt ? jwtVerifier(config.jwt) : null,
      metrics,
    };
    const demo = config.seedDemo ? await seedDemo(deps) : null;
    if (config.demoLive) {
      const liveDemo = await startLiveDemo(deps, config.demoLive);
      disposers.push(() => liveDemo.stop());
    }
    const inGraphiql = demo ? demoKeyInGraphiql(config) : null;
    const graphiqlDemoKey = inGraphiql === 'embedded' ? demo!.apiKey : null;
    if (inGraphiql === 'beyond-loopback') {
      logger.info(
        `GraphiQL leaves the demo key out: the server listens on ${config.host}, beyond loopback, where ` +
          'anyone who reaches it would get an OWNER key. Paste the key into its headers, or set ' +
          'GRAPHIQL_DEMO_KEY=true to embed it anyway (or listen on HOST=127.0.0.1).',
      );
    }

    const checks = readinessChecks({
      orm,
      lifecycle,
      redis: config.redisUrl ? { cache: () => cache.ping(), pubSub: () => pubSub.ping() } : undefined,
    });
    const server = await startHttp(deps, metrics, { graphiqlDemoKey, checks, pubSub, trustedDocuments }, disposers);
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    let metricsPort = port;
    if (config.metrics.port !== undefined) {
      const metricsServer = await startMetricsServer(metrics, {
        host: config.host,
        port: config.metrics.port,
        token: config.metrics.token,
      });
      disposers.push(() => metricsServer.close());
      metricsPort = metricsServer.port;
    }
    return {
      url: `http://${host}:${port}${GRAPHQL_PATH}`,
      port,
      orm,
      deps,
      demo,
      graphiqlHasDemoKey: graphiqlDemoKey !== null,
      metricsUrl: `http://${host}:${metricsPort}${METRICS_PATH}`,
      markShuttingDown: () => {
        lifecycle.shuttingDown = true;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startHttp(
  deps: AppDependencies,
  metrics: AppMetrics,
  {
    graphiqlDemoKey,
    checks,
    pubSub,
    trustedDocuments,
  }: {
    graphiqlDemoKey: string | null;
    checks: HealthCheck[];
    pubSub: PubSubHandle;
    trustedDocuments: TrustedDocuments | null;
  },
  disposers: (() => Promise<void>)[],
): Promise<http.Server> {
  const { config, logger } = deps;
  const schema = await createSchema(deps.pubSub);
  timeRootFields(schema, metrics);
  if (tracingActive()) traceResolvers(schema);
  const app = express();
  app.disable('x-powered-by');
  // Express would hash every answer for an ETag: a POST is never revalidated, and on a 111 KB
  // answer the hash cost more than the HTTP write around it.
  app.disable('etag');
  const httpServer = http.createServer(app);
  const ws = attachGraphqlWs({
    httpServer,
    path: GRAPHQL_PATH,
    schema,
    deps,
    validationRules: createArmor().validationRules,
    maxTokens: MAX_TOKENS,
    limits: config.webSocket,
    trustedDocuments,
  });
  // Revocations announced while the pub/sub was away were lost: the open sockets are checked now.
  const stopRechecking = pubSub.onSubscriberReady(() => void ws.recheckCredentials());
  disposers.push(async () => stopRechecking());

  const armor = createArmor();
  const apollo = new ApolloServer<AppContext>({
    gateway: jitGateway(schema, deps.responseCache ?? undefined),
    introspection: true,
    // app.close() owns the shutdown order (WebSockets, HTTP, then pub/sub, cache, database).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: PARSE_OPTIONS,
    validationRules: armor.validationRules,
    // Logged by errorLogOverHttp, which knows the request.
    formatError: createErrorFormatter({ logger: null, maskUnexpected: config.env !== 'development' }),
    plugins: [
      ...(tracingActive() ? [graphqlTracingPlugin<AppContext>()] : []),
      // First (after tracing): it must see the operation resolved before a later plugin refuses it (quotas).
      graphqlMetricsPlugin(metrics),
      ...armor.plugins,
      statusCodesOfGraphqlOverHttp,
      rejectSubscriptionsOverHttp,
      checkStringsOverHttp,
      quotasOverHttp(deps.quotas),
      introspectionForMembersOnly,
      operationLogOverHttp(logger),
      errorLogOverHttp(logger, config.env !== 'development'),
      // Half the shutdown bound: the rest is for closing pub/sub, cache and database.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs / 2 }),
      ApolloServerPluginLandingPageDisabled(),
      // Cache hints are unused, and the plugin wraps every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: () => ws.close() }) },
    ],
  });
  await apollo.start();
  // Apollo's drain closes WebSockets (1001) and the listener at once, then waits for requests in
  // flight; what is left after the grace period is cut.
  disposers.push(async () => {
    await apollo.stop();
    httpServer.closeAllConnections();
  });

  if (tracingActive()) app.use(skipUnsampled);
  app.use(requestId);
  const cors = corsFor(config.corsOrigins);
  if (cors) app.use(GRAPHQL_PATH, cors);
  // Without CORS: say what the endpoint allows, and no CORS headers (browsers stay same-origin).
  app.options(GRAPHQL_PATH, (_req, res) => {
    res.set('Allow', 'GET, POST, OPTIONS').status(204).end();
  });
  const graphqlChain = [
    express.json({ limit: '1mb' }),
    // After the body is read: a slow upload must not hold a slot meant for work.
    shedLoad(config.maxInFlightRequests, () => metrics.families.requestsShed.inc()),
    ...(trustedDocuments ? [trustedDocumentsOverHttp(deps, trustedDocuments)] : []),
    ...(deps.responseCache ? [cachedResponses(deps, deps.responseCache)] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const id = requestIdOf(req);
        let authentication = res.locals[AUTHENTICATION] as Authentication | undefined;
        try {
          authentication ??= await authenticate(deps, req.headers);
        } catch (error) {
          if (!isAppError(error)) logger.error({ err: error, requestId: id }, 'authentication failed unexpectedly');
          throw withFailedRequestId(error, id);
        }
        const context = createContext(deps, authentication, id);
        context.quotaRefusal = res.locals[QUOTA_REFUSAL] as RateLimitedError | undefined;
        return context;
      },
    }),
  ];
  // POST /graphql first: the bulk of the traffic need not walk the health, metrics and GraphiQL
  // routes. GET /graphql (a browser's GraphiQL, or a query by GET) reaches the chain after them.
  app.post(GRAPHQL_PATH, ...graphqlChain);
  app.post(INGEST_EVENTS_PATH, ...ingestWebhook(deps));
  app.post(INGEST_ODDS_PATH, ...ingestOddsWebhook(deps));
  app.post(INGEST_CORRECTIONS_PATH, ...ingestCorrectionsWebhook(deps));
  app.use(healthRouter({ checks, logger }));
  if (config.metrics.port === undefined) app.get(METRICS_PATH, metricsHandler(metrics, config.metrics.token));
  app.use(
    graphiqlRouter({
      endpoint: GRAPHQL_PATH,
      defaultHeaders: graphiqlDemoKey ? { 'x-api-key': graphiqlDemoKey } : undefined,
      exampleQuery: exampleOperations,
    }),
  );
  app.use(GRAPHQL_PATH, ...graphqlChain);

  app.use(notFound(GRAPHQL_PATH));
  app.use(jsonErrors(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  return httpServer;
}
