import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';

// No Docker engine here: these checks read the files and hold them to the repository.
const root = path.resolve(__dirname, '../..');
const dockerfile = fs.readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
const compose = parse(fs.readFileSync(path.join(root, 'docker/compose.yml'), 'utf8')) as {
  services: Record<
    string,
    {
      build?: { context: string; dockerfile: string };
      environment?: Record<string, string>;
      ports?: string[];
      depends_on?: Record<string, unknown>;
      image?: string;
      healthcheck?: unknown;
    }
  >;
};

function instructions(): { op: string; args: string }[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('docker/Dockerfile', () => {
  it('builds on a supported Node and copies only paths that exist', () => {
    const froms = instructions().filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(Number(/node:(\d+)/.exec(from.args)?.[1])).toBeGreaterThanOrEqual(20);
    for (const copy of instructions().filter((i) => i.op === 'COPY' && !i.args.includes('--from'))) {
      const sources = copy.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) expect(fs.existsSync(path.join(root, source)), source).toBe(true);
    }
  });

  it('runs the file the build emits, as a non-root user, on the port it exposes', () => {
    const cmd = JSON.parse(instructions().find((i) => i.op === 'CMD')!.args) as string[];
    const buildConfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(cmd).toEqual(['node', `${buildConfig.compilerOptions.outDir}/src/main.js`]);
    expect(fs.existsSync(path.join(root, 'src/main.ts'))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(instructions().some((i) => i.op === 'RUN' && i.args.includes('npm run build'))).toBe(true);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(instructions().find((i) => i.op === 'USER')?.args).toBe('node');
    const port = /PORT=(\d+)/.exec(dockerfile)?.[1];
    expect(instructions().find((i) => i.op === 'EXPOSE')?.args).toBe(port);
  });
});

describe('docker/compose.yml', () => {
  it('builds the API from this Dockerfile and wires it to healthy Postgres and Redis', () => {
    const { api, postgres, redis } = compose.services;
    expect(api?.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(Object.keys(api?.depends_on ?? {}).sort()).toEqual(['postgres', 'redis']);
    expect(postgres?.image).toMatch(/^postgres:15/);
    expect(redis?.image).toMatch(/^redis:/);
    expect(postgres?.healthcheck).toBeDefined();
    expect(redis?.healthcheck).toBeDefined();
  });

  it('gives the API an environment the config accepts, pointing at the compose services', () => {
    const environment = compose.services.api!.environment!;
    const config = loadConfig({ ...environment, NODE_ENV: 'production' });
    expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
    expect(new URL(config.redisUrl!).hostname).toBe('redis');
    const postgresEnv = compose.services.postgres!.environment!;
    expect(new URL(config.databaseUrl!).pathname).toBe(`/${postgresEnv.POSTGRES_DB}`);
    expect(compose.services.api!.ports).toContain('4000:4000');
  });
});
