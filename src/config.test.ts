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
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast' };
    expect(loadConfig(production).seedDemo).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO: 'true' }).seedDemo).toBe(true);
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
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/matchcast' }).databaseUrl).toBe(
      'postgres://db/matchcast',
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
});
