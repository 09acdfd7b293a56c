import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to an embedded database, in-memory cache and demo data on port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      redisUrl: undefined,
      seedDemo: true,
      env: 'development',
    });
  });

  it('does not seed demo data in production unless asked', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast', METRICS_PORT: '9464' };
    expect(loadConfig(production).seedDemo).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('keeps demo matches live in development with demo data only, and never in production', () => {
    expect(loadConfig({}).demoLive).toEqual({ speed: 10, matches: 3 });
    expect(loadConfig({ SEED_DEMO: 'false' }).demoLive).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test' }).demoLive).toBeNull();
    expect(loadConfig({ DEMO_LIVE: 'false' }).demoLive).toBeNull();
    expect(loadConfig({ DEMO_LIVE_SPEED: '60', DEMO_LIVE_MATCHES: '5' }).demoLive).toEqual({ speed: 60, matches: 5 });
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast', METRICS_PORT: '9464' };
    expect(loadConfig({ ...production, SEED_DEMO: 'true' }).demoLive).toBeNull();
    expect(() => loadConfig({ ...production, DEMO_LIVE: 'true' })).toThrow(/DEMO_LIVE: cannot be true in production/);
    expect(() => loadConfig({ DEMO_LIVE_SPEED: '0' })).toThrow(/DEMO_LIVE_SPEED: must be at least 1/);
    expect(() => loadConfig({ DEMO_LIVE_MATCHES: '11' })).toThrow(/DEMO_LIVE_MATCHES/);
  });

  it('prepares hot reads unless DB_PREPARED_STATEMENTS says false, and refuses other words', () => {
    expect(loadConfig({}).dbPreparedStatements).toBe(true);
    expect(loadConfig({ DB_PREPARED_STATEMENTS: 'false' }).dbPreparedStatements).toBe(false);
    expect(() => loadConfig({ DB_PREPARED_STATEMENTS: 'off' })).toThrow(
      /DB_PREPARED_STATEMENTS: must be true or false/,
    );
  });

  it('reports every bad value with its variable name', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEMO_API_KEY: 'short', SEED_DEMO: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^DATABASE_URL: must be a URL starting with postgres:\/\//m);
      expect(problems).toMatch(/^DEMO_API_KEY: must look like mc_/m);
      expect(problems).toMatch(/^SEED_DEMO: must be true or false/m);
    }
  });

  it('requires a real database in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL: required in production/);
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast', METRICS_PORT: '9464' }).databaseUrl,
    ).toBe('postgres://db/matchcast');
  });

  it('puts the demo key in GraphiQL on loopback unless GRAPHIQL_DEMO_KEY says otherwise, never in production', () => {
    expect(loadConfig({}).graphiqlDemoKey).toBe('auto');
    expect(loadConfig({ GRAPHIQL_DEMO_KEY: 'true' }).graphiqlDemoKey).toBe(true);
    expect(loadConfig({ GRAPHIQL_DEMO_KEY: 'false' }).graphiqlDemoKey).toBe(false);
    expect(() => loadConfig({ GRAPHIQL_DEMO_KEY: 'always' })).toThrow(/GRAPHIQL_DEMO_KEY: must be auto, true or false/);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast', METRICS_PORT: '9464' };
    expect(() => loadConfig({ ...production, GRAPHIQL_DEMO_KEY: 'true' })).toThrow(
      /GRAPHIQL_DEMO_KEY: cannot be true in production/,
    );
  });

  it('re-checks open sockets every 30 s by default, every 1 to 3600 s when set', () => {
    expect(loadConfig({}).credentialRecheckSeconds).toBe(30);
    expect(loadConfig({ CREDENTIAL_RECHECK_SECONDS: '5' }).credentialRecheckSeconds).toBe(5);
    expect(() => loadConfig({ CREDENTIAL_RECHECK_SECONDS: '0' })).toThrow(
      /CREDENTIAL_RECHECK_SECONDS: must be at least 1/,
    );
    expect(() => loadConfig({ CREDENTIAL_RECHECK_SECONDS: '1.5' })).toThrow(
      /CREDENTIAL_RECHECK_SECONDS: must be a whole/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 4000 });
  });

  it('allows no CORS origin and a 5 s statement timeout by default', () => {
    expect(loadConfig({})).toMatchObject({ corsOrigins: [], dbStatementTimeoutMs: 5000 });
  });

  it('reads CORS_ORIGINS as a comma-separated list of origins, or *', () => {
    const origins = ' https://app.example.com, http://localhost:5173 ,';
    expect(loadConfig({ CORS_ORIGINS: origins }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('refuses CORS origins that a browser would never send, saying what an origin is', () => {
    for (const [value, bad] of [
      ['https://app.example.com/', 'https://app.example.com/'],
      ['https://ok.example.com,app.example.com', 'app.example.com'],
      ['ftp://files.example.com', 'ftp://files.example.com'],
      ['https://app.example.com/path', 'https://app.example.com/path'],
    ]) {
      expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(
        new RegExp(`CORS_ORIGINS: "${bad!.replace(/[.*/]/g, '\\$&')}" is not an origin: use a comma-separated list`),
      );
    }
    expect(() => loadConfig({ CORS_ORIGINS: '*,https://app.example.com' })).toThrow(/CORS_ORIGINS: \* allows every/);
  });

  it('refuses a statement timeout that is not a sane number of milliseconds', () => {
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '2500' }).dbStatementTimeoutMs).toBe(2500);
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '5s' })).toThrow(
      /DB_STATEMENT_TIMEOUT_MS: must be a whole number/,
    );
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '10' })).toThrow(
      /DB_STATEMENT_TIMEOUT_MS: must be at least 100/,
    );
  });

  it('turns JWT sign-in on only when configured, and then needs an issuer, an audience and one key', () => {
    expect(loadConfig({}).jwt).toBeNull();
    const jwt = loadConfig({
      JWT_ISSUER: 'https://idp.example.com/',
      JWT_AUDIENCE: 'matchcast',
      JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
    }).jwt;
    expect(jwt).toMatchObject({
      jwksUrl: 'https://idp.example.com/.well-known/jwks.json',
      secret: null,
      roleClaim: 'role',
    });
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
    };
    expect(problems({ JWT_AUDIENCE: 'matchcast', JWT_SECRET: 'x'.repeat(32) })).toMatch(/^JWT_ISSUER: required/m);
    expect(problems({ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toMatch(/JWT_JWKS_URL \/ JWT_SECRET: set exactly one/);
    expect(
      problems({ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_SECRET: 'x'.repeat(32), JWT_JWKS_URL: 'https://idp/jwks' }),
    ).toMatch(/set exactly one/);
    expect(problems({ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_SECRET: 'too-short' })).toMatch(
      /^JWT_SECRET: must be at least 32/m,
    );
  });

  it('serves /metrics on the API port without a token unless METRICS_PORT or METRICS_TOKEN is set', () => {
    expect(loadConfig({}).metrics).toEqual({ port: undefined, token: undefined });
    const token = 'a-long-enough-secret-token';
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: token }).metrics).toEqual({ port: 9464, token });
  });

  it('refuses production with an open /metrics, naming METRICS_TOKEN and METRICS_PORT', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast' };
    expect(() => loadConfig(production)).toThrow(
      /METRICS_TOKEN \/ METRICS_PORT: one is required in production .*METRICS_TOKEN.*METRICS_PORT/,
    );
    expect(loadConfig({ ...production, METRICS_TOKEN: 'a-long-enough-secret-token' }).metrics.token).toBeDefined();
    expect(loadConfig({ ...production, METRICS_PORT: '9464' }).metrics.port).toBe(9464);
    // Scripts (migrate, import, …) serve no /metrics.
    expect(loadConfig(production, { serving: false }).env).toBe('production');
  });

  it('refuses a METRICS_PORT clashing with PORT and a short or spaced METRICS_TOKEN, naming the variable', () => {
    expect(() => loadConfig({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT: must be a TCP port number/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'has a space in it, long' })).toThrow(/METRICS_TOKEN: must be printable/);
  });
  it('bounds shutdown at 10 s by default, with no delay, and refuses a delay longer than the bound', () => {
    const defaults = loadConfig({});
    expect([defaults.shutdownTimeoutMs, defaults.shutdownDelayMs]).toEqual([10_000, 0]);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '30000', SHUTDOWN_DELAY_MS: '5000' })).toMatchObject({
      shutdownTimeoutMs: 30_000,
      shutdownDelayMs: 5000,
    });
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '10s' })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be a whole number/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '50' })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be at least 1000/);
    expect(() => loadConfig({ SHUTDOWN_DELAY_MS: '10000' })).toThrow(
      /SHUTDOWN_DELAY_MS: must be shorter than SHUTDOWN_TIMEOUT_MS/,
    );
  });

  it('traces nothing unless an OTLP endpoint or exporter is named, and reads the standard OTEL_* variables', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      exporter: 'otlp',
      endpoint: 'http://collector:4318/v1/traces',
      sampler: { ratio: 1, parentBased: true },
      serviceName: 'matchcast',
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_SERVICE_NAME: 'matchcast-eu',
      }).tracing,
    ).toEqual({
      exporter: 'otlp',
      endpoint: 'https://traces.example.com/otlp',
      sampler: { ratio: 0.1, parentBased: true },
      serviceName: 'matchcast-eu',
    });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing?.endpoint).toBe('http://localhost:4318/v1/traces');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER: 'always_off' }).tracing).toMatchObject({
      exporter: 'console',
      sampler: { ratio: 0, parentBased: false },
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing,
    ).toBeNull();
  });

  it('refuses tracing settings it cannot honour, naming the variable', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '10' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1/,
    );
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      /OTEL_TRACES_SAMPLER: must be one of always_on/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/protobuf/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL/,
    );
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(
      /OTEL_TRACES_EXPORTER: must be otlp, console or none/,
    );
  });

  it('accepts any document unless TRUSTED_DOCUMENTS_ONLY holds everyone or some tenants to the registered ones', () => {
    expect(loadConfig({}).trustedDocuments).toBeNull();
    expect(loadConfig({ TRUSTED_DOCUMENTS: 'a.json, b.json' }).trustedDocuments).toEqual({
      manifests: ['a.json', 'b.json'],
      only: 'none',
    });
    expect(loadConfig({ TRUSTED_DOCUMENTS: 'a.json', TRUSTED_DOCUMENTS_ONLY: 'true' }).trustedDocuments?.only).toBe(
      'all',
    );
    expect(
      loadConfig({ TRUSTED_DOCUMENTS: 'a.json', TRUSTED_DOCUMENTS_ONLY: 'acme,demo' }).trustedDocuments?.only,
    ).toEqual(['acme', 'demo']);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS_ONLY: 'true' })).toThrow(
      /TRUSTED_DOCUMENTS_ONLY: needs TRUSTED_DOCUMENTS/,
    );
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'a.json', TRUSTED_DOCUMENTS_ONLY: 'yes please' })).toThrow(
      /TRUSTED_DOCUMENTS_ONLY: must be true, false or a comma-separated list of tenant slugs/,
    );
  });
});
