import { z } from 'zod';
import type { JwtSettings } from './auth/jwt';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .optional()
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

// Only OTLP over HTTP with protobuf bodies is built in (port 4318): gRPC would add a second stack.
const otlpProtocol = z
  .enum(['http/protobuf'], { message: 'must be http/protobuf (OTLP over HTTP, port 4318; gRPC is not supported)' })
  .optional();

// An origin is a scheme, a host and an optional port: what browsers send in `Origin`.
const corsOrigins = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const origins = (value ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (origin !== '*' && !isOrigin(origin)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${origin}" is not an origin: use a comma-separated list such as https://app.example.com,http://localhost:5173 (scheme, host and port only, no path or trailing slash), or *`,
        });
      }
    }
    if (origins.includes('*') && origins.length > 1) {
      ctx.addIssue({ code: 'custom', message: '* allows every origin: list origins or use * alone' });
    }
    return origins;
  });

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}

/** Every environment variable the server reads (docker/compose.yml is checked against it). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  REDIS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'must be letters, digits, _ or -')
    .default('matchcast'),
  MIGRATE_ON_START: booleanFromEnv.default(true),
  SEED_DEMO: booleanFromEnv.optional(),
  DEMO_API_KEY: z
    .string()
    .regex(/^mc_[A-Za-z0-9_-]{16,}$/, 'must look like mc_ followed by at least 16 letters, digits, _ or -')
    .optional(),
  DEMO_DATA_DIR: z.string().min(1).default('demo-data'),
  DEMO_LIVE: booleanFromEnv.optional(),
  DEMO_LIVE_SPEED: z.coerce
    .number({ message: 'must be a number' })
    .min(1, 'must be at least 1 (real time)')
    .max(10_000, 'must be at most 10000')
    .default(10),
  DEMO_LIVE_MATCHES: z.coerce.number().int('must be a whole number').min(1).max(10).default(3),
  GRAPHIQL_DEMO_KEY: z
    .enum(['auto', 'true', 'false'], { message: 'must be auto, true or false' })
    .default('auto')
    .transform((value) => (value === 'auto' ? value : value === 'true')),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  RESPONSE_CACHE: booleanFromEnv.default(true),
  AUTH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  CREDENTIAL_RECHECK_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600 seconds (1 hour)')
    .default(30),
  MAX_IN_FLIGHT_REQUESTS: z.coerce.number().int().min(1).max(100_000).default(1024),
  MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: corsOrigins,
  DB_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100 ms')
    .max(600_000, 'must be at most 600000 ms (10 minutes)')
    .default(5000),
  DB_PREPARED_STATEMENTS: booleanFromEnv.default(true),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000 ms (draining needs time)')
    .max(600_000, 'must be at most 600000 ms (10 minutes)')
    .default(10_000),
  SHUTDOWN_DELAY_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 or more')
    .max(60_000, 'must be at most 60000 ms (1 minute)')
    .default(0),
  WS_MAX_MESSAGE_BYTES: z.coerce
    .number({ message: 'must be a whole number of bytes' })
    .int()
    .min(1024, 'must be at least 1024 bytes')
    .max(1024 * 1024, 'must be at most 1048576 bytes (1 MiB, the HTTP body limit)')
    .default(64 * 1024),
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number({ message: 'must be a whole number of bytes' })
    .int()
    .min(16 * 1024, 'must be at least 16384 bytes')
    .max(256 * 1024 * 1024, 'must be at most 268435456 bytes (256 MiB)')
    .default(1024 * 1024),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce
    .number({ message: 'must be a whole number' })
    .int()
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .default(100),
  WS_MAX_SOCKETS_PER_KEY: z.coerce
    .number({ message: 'must be a whole number' })
    .int()
    .min(1, 'must be at least 1')
    .max(100_000, 'must be at most 100000')
    .default(20),
  LIVE_FEED_SWEEP_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1')
    .max(300, 'must be at most 300 seconds')
    .default(5),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_JWKS_URL: optionalUrl(['https', 'http']),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs a 256-bit secret)').optional(),
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  JWT_ROLE_CLAIM: z.string().min(1).default('role'),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int()
    .min(0)
    .max(300, 'must be at most 300 seconds')
    .default(5),
  METRICS_PORT: z.coerce
    .number({ message: 'must be a TCP port number' })
    .int('must be a whole number')
    .min(0, 'must be 0 to 65535')
    .max(65535, 'must be 0 to 65535')
    .optional(),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (it guards /metrics)')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent as a Bearer token)')
    .optional(),
  // OpenTelemetry's own variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/);
  // OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION are read by the exporter itself.
  OTEL_SDK_DISABLED: booleanFromEnv.default(false),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none'], { message: 'must be otlp, console or none' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http', 'https']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl(['http', 'https']),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol,
  OTEL_TRACES_SAMPLER: z
    .enum(TRACE_SAMPLERS, { message: `must be one of ${TRACE_SAMPLERS.join(', ')}` })
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ message: 'must be a number from 0 to 1 (the share of traces sampled)' })
    .min(0, 'must be a number from 0 to 1 (the share of traces sampled)')
    .max(1, 'must be a number from 0 to 1 (the share of traces sampled)')
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('matchcast'),
  TRUSTED_DOCUMENTS: z.string().optional(),
  TRUSTED_DOCUMENTS_ONLY: z
    .string()
    .regex(/^(true|false|[a-z0-9-]+(,[a-z0-9-]+)*)$/, 'must be true, false or a comma-separated list of tenant slugs')
    .default('false'),
});

/** Validated process configuration; the one source of truth for settings. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** PostgreSQL URL; undefined starts an embedded PostgreSQL. */
  databaseUrl?: string;
  embeddedPostgres: { dir: string; port: number };
  /** Redis URL for the cache and pub/sub; undefined keeps both in memory. */
  redisUrl?: string;
  /** Prefix of cache keys and pub/sub channels, so deployments can share one Redis. */
  redisNamespace: string;
  migrateOnStart: boolean;
  /** Load demo data and a demo tenant at start (default: on outside production). */
  seedDemo: boolean;
  demoApiKey?: string;
  demoDataDir: string;
  /**
   * Keep simulated matches live at start, staggered so one is always in play, with price moves
   * (default: on in development with demo data; never in production).
   */
  demoLive: { speed: number; matches: number } | null;
  /**
   * Put the demo key in GraphiQL's default headers: `auto` (default) when `host` is a loopback
   * address only; `true` on any host; never in production.
   */
  graphiqlDemoKey: boolean | 'auto';
  cacheTtlSeconds: number;
  /** Cache whole responses of shared-data queries in each process (cleared by every write). */
  responseCache: boolean;
  /**
   * How long a process remembers an API key's principal, in seconds (default 10; 0: read it on
   * every request). Also the longest a revocation whose pub/sub message was lost goes unseen by HTTP.
   */
  authCacheTtlSeconds: number;
  /**
   * How often the credentials of open WebSockets are read again, in seconds (default 30): the
   * longest a socket outlives a revocation whose pub/sub message was lost.
   */
  credentialRecheckSeconds: number;
  /**
   * How often each instance reads the live updates stored since its last look, in seconds
   * (default 5): the longest a `liveFeed` update whose pub/sub message was lost waits.
   */
  liveFeedSweepSeconds: number;
  /** GraphQL HTTP requests answered at once; beyond, 503 with Retry-After (default 1024). */
  maxInFlightRequests: number;
  maxPageSize: number;
  logLevel: string;
  /** Browser origins allowed to call the API (CORS); empty: none, `*`: any. */
  corsOrigins: string[];
  /** Longest a database statement may run before PostgreSQL cancels it, in ms (default 5000). */
  dbStatementTimeoutMs: number;
  /**
   * Hot reads as named prepared statements (parsed and planned once per connection); off for a
   * pooler in front of PostgreSQL that cannot keep them (PgBouncer before 1.21 in transaction mode).
   */
  dbPreparedStatements: boolean;
  /**
   * Longest a graceful shutdown (SIGTERM, SIGINT) may take, in ms (default 10000); past it the
   * process logs that it did not finish and exits 1.
   */
  shutdownTimeoutMs: number;
  /**
   * How long the server stays up answering `/readyz` with 503 before it stops accepting
   * connections, in ms (default 0): time for a load balancer to see it unready. Counts against
   * `shutdownTimeoutMs`.
   */
  shutdownDelayMs: number;
  /** Limits of the graphql-ws endpoint (see src/http/websocket.ts). */
  webSocket: WebSocketLimits;
  /** JWTs of the deployment's identity provider (JWT_*); null: API keys only. */
  jwt: JwtSettings | null;
  /** Prometheus `GET /metrics` (see src/metrics/prometheus). */
  metrics: MetricsConfig;
  /** OpenTelemetry traces (OTEL_*); null: off, the default, and then nothing is traced at all. */
  tracing: TracingConfig | null;
  /** Registered operations (see src/http/trusted-documents.ts); null: none registered, any document accepted. */
  trustedDocuments: TrustedDocumentsConfig | null;
}

export interface MetricsConfig {
  /**
   * Serve `/metrics` on this port (bound to `host`) instead of the API's; 0 picks a free one
   * (tests). Undefined: on the API's port.
   */
  port?: number;
  /** When set, `/metrics` answers 401 unless sent `Authorization: Bearer <token>`. */
  token?: string;
}

export interface TrustedDocumentsConfig {
  /** Manifest files, read at start. */
  manifests: string[];
  /** Who may send registered documents only: everyone, nobody, or the tenants with these slugs. */
  only: 'all' | 'none' | string[];
}

export interface TracingConfig {
  /** `otlp`: OTLP over HTTP (protobuf) to `endpoint`; `console`: spans printed to stdout. */
  exporter: 'otlp' | 'console';
  /** Where OTLP spans are posted (…/v1/traces). */
  endpoint: string;
  /** Share of new traces sampled (0 to 1); `parentBased`: a caller's sampled flag wins. */
  sampler: { ratio: number; parentBased: boolean };
  serviceName: string;
}

/**
 * Whether `/metrics` is behind a token or on a port of its own: only then does it name tenants
 * (an open one on the API's port would show every caller the tenants' slugs).
 */
export function metricsGuarded(metrics: MetricsConfig): boolean {
  return metrics.token !== undefined || metrics.port !== undefined;
}

export interface WebSocketLimits {
  /** Largest message a client may send, in bytes (default 64 KiB); larger closes the socket with 1009. */
  maxMessageBytes: number;
  /** Bytes a socket may have waiting to be sent (default 1 MiB); beyond, it is closed as a slow consumer. */
  maxBufferedBytes: number;
  /** Operations one socket may run at once (default 100); beyond, a subscribe fails with LIMIT_EXCEEDED. */
  maxSubscriptionsPerSocket: number;
  /** Open sockets per API key in one server process (default 20); beyond, a new socket is closed. */
  maxSocketsPerKey: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates environment variables; throws ConfigError listing every bad value.
 * `serving: false` (scripts: migrate, import, …) skips what only a listening server needs.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { serving = true }: { serving?: boolean } = {},
): AppConfig {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  if (e.SHUTDOWN_DELAY_MS >= e.SHUTDOWN_TIMEOUT_MS) {
    throw new ConfigError([
      `SHUTDOWN_DELAY_MS: must be shorter than SHUTDOWN_TIMEOUT_MS (${e.SHUTDOWN_TIMEOUT_MS} ms), which it counts against`,
    ]);
  }
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL: required in production (the embedded PostgreSQL is for development)']);
  }
  if (e.NODE_ENV === 'production' && e.DEMO_LIVE === true) {
    throw new ConfigError(['DEMO_LIVE: cannot be true in production (it writes simulated matches and prices)']);
  }
  if (e.NODE_ENV === 'production' && e.GRAPHIQL_DEMO_KEY === true) {
    throw new ConfigError([
      'GRAPHIQL_DEMO_KEY: cannot be true in production (GraphiQL never hands out the demo key there)',
    ]);
  }
  const jwt = jwtSettings(e);
  if (jwt.problems.length) throw new ConfigError(jwt.problems);
  if (serving && e.NODE_ENV === 'production' && e.METRICS_TOKEN === undefined && e.METRICS_PORT === undefined) {
    throw new ConfigError([
      'METRICS_TOKEN / METRICS_PORT: one is required in production (otherwise /metrics is open on PORT to ' +
        "anyone, with every tenant's slug): set METRICS_TOKEN to a token Prometheus sends as a Bearer token, " +
        'or METRICS_PORT to a port only Prometheus can reach',
    ]);
  }
  const trustedDocuments = trustedDocumentsSettings(e);
  if (trustedDocuments && trustedDocuments.only !== 'none' && trustedDocuments.manifests.length === 0) {
    throw new ConfigError([
      'TRUSTED_DOCUMENTS_ONLY: needs TRUSTED_DOCUMENTS (the manifests of the documents to accept); otherwise every operation would be refused',
    ]);
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(['METRICS_PORT: must differ from PORT (unset it to serve /metrics on the API port)']);
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    embeddedPostgres: { dir: e.EMBEDDED_PG_DIR, port: e.EMBEDDED_PG_PORT },
    redisUrl: e.REDIS_URL,
    redisNamespace: e.REDIS_NAMESPACE,
    migrateOnStart: e.MIGRATE_ON_START,
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    demoApiKey: e.DEMO_API_KEY,
    demoDataDir: e.DEMO_DATA_DIR,
    demoLive:
      (e.DEMO_LIVE ?? (e.NODE_ENV === 'development' && (e.SEED_DEMO ?? true)))
        ? { speed: e.DEMO_LIVE_SPEED, matches: e.DEMO_LIVE_MATCHES }
        : null,
    graphiqlDemoKey: e.GRAPHIQL_DEMO_KEY,
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    responseCache: e.RESPONSE_CACHE,
    authCacheTtlSeconds: e.AUTH_CACHE_TTL_SECONDS,
    credentialRecheckSeconds: e.CREDENTIAL_RECHECK_SECONDS,
    liveFeedSweepSeconds: e.LIVE_FEED_SWEEP_SECONDS,
    maxInFlightRequests: e.MAX_IN_FLIGHT_REQUESTS,
    maxPageSize: e.MAX_PAGE_SIZE,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    dbPreparedStatements: e.DB_PREPARED_STATEMENTS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    webSocket: {
      maxMessageBytes: e.WS_MAX_MESSAGE_BYTES,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      maxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSocketsPerKey: e.WS_MAX_SOCKETS_PER_KEY,
    },
    jwt: jwt.settings,
    metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    tracing: tracingSettings(e),
    trustedDocuments,
  };
}

function trustedDocumentsSettings(e: z.infer<typeof envSchema>): TrustedDocumentsConfig | null {
  const manifests = (e.TRUSTED_DOCUMENTS ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter(Boolean);
  const only =
    e.TRUSTED_DOCUMENTS_ONLY === 'true'
      ? 'all'
      : e.TRUSTED_DOCUMENTS_ONLY === 'false'
        ? 'none'
        : e.TRUSTED_DOCUMENTS_ONLY.split(',');
  return manifests.length === 0 && only === 'none' ? null : { manifests, only };
}

// As the OpenTelemetry SDK reads the same variables, except that tracing is off unless an
// exporter or an endpoint is named: a server nobody collects from must not pay for spans.
function tracingSettings(e: z.infer<typeof envSchema>): TracingConfig | null {
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporter = e.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : 'none');
  if (e.OTEL_SDK_DISABLED || exporter === 'none') return null;
  const sampler = e.OTEL_TRACES_SAMPLER;
  const ratio = sampler.endsWith('always_off')
    ? 0
    : sampler.endsWith('traceidratio')
      ? (e.OTEL_TRACES_SAMPLER_ARG ?? 1)
      : 1;
  return {
    exporter,
    endpoint:
      e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`,
    sampler: { ratio, parentBased: sampler.startsWith('parentbased_') },
    serviceName: e.OTEL_SERVICE_NAME,
  };
}

// JWTs are off unless an issuer, audience or key is given; then all of them must be.
function jwtSettings(e: z.infer<typeof envSchema>): { settings: JwtSettings | null; problems: string[] } {
  const given = [e.JWT_ISSUER, e.JWT_AUDIENCE, e.JWT_JWKS_URL, e.JWT_SECRET].some((value) => value !== undefined);
  if (!given) return { settings: null, problems: [] };
  const problems: string[] = [];
  if (!e.JWT_ISSUER) problems.push('JWT_ISSUER: required when JWTs are enabled (the `iss` tokens must carry)');
  if (!e.JWT_AUDIENCE) problems.push('JWT_AUDIENCE: required when JWTs are enabled (the `aud` tokens must carry)');
  if (!e.JWT_JWKS_URL === !e.JWT_SECRET) {
    problems.push(
      "JWT_JWKS_URL / JWT_SECRET: set exactly one: the identity provider's key set URL, or a shared HS256 secret",
    );
  }
  if (problems.length) return { settings: null, problems };
  return {
    settings: {
      issuer: e.JWT_ISSUER!,
      audience: e.JWT_AUDIENCE!,
      jwksUrl: e.JWT_JWKS_URL ?? null,
      secret: e.JWT_SECRET ?? null,
      tenantClaim: e.JWT_TENANT_CLAIM,
      roleClaim: e.JWT_ROLE_CLAIM,
      clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_SECONDS,
    },
    problems: [],
  };
}

// An empty variable (FOO=) means "unset", as in most twelve-factor tooling.
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
