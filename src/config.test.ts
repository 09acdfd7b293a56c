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
});
