import { z } from 'zod';

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

const envSchema = z.object({
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
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  cacheTtlSeconds: number;
  maxPageSize: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates environment variables; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL: required in production (the embedded PostgreSQL is for development)']);
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
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    maxPageSize: e.MAX_PAGE_SIZE,
    logLevel: e.LOG_LEVEL,
  };
}

// An empty variable (FOO=) means "unset", as in most twelve-factor tooling.
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
