import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config';
import { freePort } from '../support/free-port';
import { startTestApp } from '../support/test-app';
import {
  compose,
  dockerfileEnv,
  instructions,
  mountedDir,
  mountedYaml,
  mounts,
  portMappings,
  root,
} from './docker-files';

const run = promisify(execFile);
const configVariables = Object.keys(envSchema.shape);
const { app, postgres, redis } = compose.services;

/** Ports each service listens on inside its container: the app's from its config, the rest the images' defaults. */
function listenPorts(name: string): number[] {
  if (name === 'app') {
    const env = { ...dockerfileEnv(), ...app!.environment };
    return [Number(env.PORT), ...(env.METRICS_PORT ? [Number(env.METRICS_PORT)] : [])];
  }
  const defaults: Record<string, number[]> = {
    postgres: [5432],
    redis: [6379],
    prometheus: [9090],
    alertmanager: [9093],
    grafana: [3000],
    // OTLP over gRPC and HTTP, and the UI.
    jaeger: [4317, 4318, 16686],
  };
  return defaults[name] ?? [];
}

/** A `host:port` another service dials must be a compose service listening on that port. */
function expectServiceAddress(address: string): void {
  const { hostname, port } = new URL(address.includes('://') ? address : `http://${address}`);
  expect(Object.keys(compose.services), address).toContain(hostname);
  expect(listenPorts(hostname), address).toContain(Number(port));
}

describe('docker/Dockerfile', () => {
  it('builds on a supported Node and copies only paths that exist', () => {
    const froms = instructions().filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThan(1); // build and runtime stages
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
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(cmd.at(-1)).toBe(`${buildConfig.compilerOptions.outDir}/src/main.js`);
    // The image runs the server as `npm run start:prod` does (the benchmark runs that too).
    expect(cmd).toEqual(pkg.scripts['start:prod']!.split(' '));
    expect(fs.existsSync(path.join(root, 'src/main.ts'))).toBe(true);
    expect(instructions().some((i) => i.op === 'RUN' && i.args.includes('npm run build'))).toBe(true);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(instructions().find((i) => i.op === 'USER')?.args).toBe('node');
    expect(instructions().find((i) => i.op === 'EXPOSE')?.args).toBe(dockerfileEnv().PORT);
  });

  it('sets only variables the config knows, with values it accepts', () => {
    const env = dockerfileEnv();
    for (const key of Object.keys(env)) expect(configVariables, key).toContain(key);
    // What `docker run` must add: a database, and a guard for /metrics.
    const config = loadConfig({ ...env, DATABASE_URL: 'postgres://u@db/x', METRICS_TOKEN: 'a-metrics-token-0123' });
    expect(config.env).toBe('production');
    expect(config.host).toBe('0.0.0.0'); // reachable from outside the container
  });

  it('has a HEALTHCHECK that passes against a ready server and fails when nothing answers', async () => {
    const healthcheck = instructions().find((i) => i.op === 'HEALTHCHECK')!;
    const command = JSON.parse(healthcheck.args.slice(healthcheck.args.indexOf('CMD') + 3)) as string[];
    expect(command.join(' ')).toContain('/readyz');
    const { app: server } = await startTestApp();
    const port = new URL(server.url).port;
    const probe = (env: Record<string, string>) =>
      run(command[0]!, command.slice(1), { env: { ...process.env, ...env }, timeout: 10_000 }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    expect(await probe({ PORT: port })).toBe(0);
    expect(await probe({ PORT: String(await freePort()) })).toBe(1);
  });
});

describe('docker/compose.yml', () => {
  it('builds the app from this Dockerfile and wires it to healthy Postgres and Redis', () => {
    expect(app?.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(app?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(postgres?.image).toMatch(/^postgres:15/);
    expect(redis?.image).toMatch(/^redis:/);
    expect(postgres?.healthcheck).toBeDefined();
    expect(redis?.healthcheck).toBeDefined();
  });

  it('gives the app only variables the config knows, pointing at the compose services', () => {
    const environment = app!.environment!;
    for (const key of Object.keys(environment)) expect(configVariables, key).toContain(key);
    const config = loadConfig({ ...dockerfileEnv(), ...environment });
    const database = new URL(config.databaseUrl!);
    const postgresEnv = postgres!.environment!;
    expect(database.hostname).toBe('postgres');
    expect(Number(database.port)).toBe(listenPorts('postgres')[0]);
    expect([database.username, database.password, database.pathname]).toEqual([
      postgresEnv.POSTGRES_USER,
      postgresEnv.POSTGRES_PASSWORD,
      `/${postgresEnv.POSTGRES_DB}`,
    ]);
    expectServiceAddress(config.redisUrl!);
  });

  it("sends the app's traces over OTLP/HTTP to the trace backend it runs, whose UI it publishes", () => {
    const config = loadConfig({ ...dockerfileEnv(), ...app!.environment });
    expect(config.tracing?.exporter).toBe('otlp');
    const endpoint = new URL(config.tracing!.endpoint);
    expect(endpoint.pathname).toBe('/v1/traces');
    expectServiceAddress(endpoint.origin);
    expect(endpoint.port).toBe('4318');
    expect(portMappings(compose.services[endpoint.hostname]!)).toContainEqual({ host: 16686, container: 16686 });
  });

  it('publishes ports the services listen on and depends only on services it defines', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const { container } of portMappings(service)) expect(listenPorts(name), name).toContain(container);
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(Object.keys(compose.services)).toContain(dependency);
      // The listen ports above are the images' defaults: a flag moving one would break the wiring.
      expect((service.command ?? []).join(' '), name).not.toMatch(/listen-address|--port/);
    }
    expect(portMappings(app!)).toContainEqual({ host: 4000, container: 4000 });
  });

  it('mounts named volumes it declares and host paths that exist (files as files, folders as folders)', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set<string>();
    for (const [name, service] of Object.entries(compose.services)) {
      for (const mount of mounts(service)) {
        if (!mount.hostPath) {
          expect(declared, `${name}: ${mount.source}`).toContain(mount.source);
          used.add(mount.source);
          continue;
        }
        expect(
          fs.existsSync(mount.hostPath),
          `${name}: ${mount.source} (monitoring/ comes with issue 8's metrics work)`,
        ).toBe(true);
        expect(fs.statSync(mount.hostPath).isFile(), mount.source).toBe(/\.ya?ml$/.test(mount.target));
      }
    }
    expect([...used].sort()).toEqual(declared.sort());
  });
});

// These read monitoring/, which the metrics work of issue 8 adds: they fail until it is merged.
describe('docker/compose.yml with monitoring/', () => {
  interface PrometheusConfig {
    rule_files?: string[];
    scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[];
    alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  }

  it('has Prometheus scrape the app and alert Alertmanager at addresses compose defines', () => {
    const config = mountedYaml<PrometheusConfig>('prometheus', '/etc/prometheus/prometheus.yml');
    const targets = config.scrape_configs.flatMap((job) => job.static_configs?.flatMap((s) => s.targets) ?? []);
    expect(targets).toContain(`app:${listenPorts('app').at(-1)}`);
    for (const target of targets) expectServiceAddress(target);
    const alertmanagers =
      config.alerting?.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)) ?? [];
    expect(alertmanagers).toEqual(['alertmanager:9093']);
    for (const target of alertmanagers) expectServiceAddress(target);
  });

  it('has Prometheus load rule files that the mounted rules folder holds', () => {
    const config = mountedYaml<PrometheusConfig>('prometheus', '/etc/prometheus/prometheus.yml');
    const rulesDir = mountedDir('prometheus', '/etc/prometheus/rules');
    const ruleFiles = fs.readdirSync(rulesDir).filter((file) => /\.ya?ml$/.test(file));
    expect(ruleFiles.length).toBeGreaterThan(0);
    expect(config.rule_files?.length).toBeGreaterThan(0);
    for (const pattern of config.rule_files ?? []) {
      // Relative rule paths are read from the config file's folder.
      expect(path.posix.resolve('/etc/prometheus', pattern).startsWith('/etc/prometheus/rules/'), pattern).toBe(true);
      const glob = new RegExp(`^${path.basename(pattern).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
      expect(
        ruleFiles.some((file) => glob.test(file)),
        pattern,
      ).toBe(true);
    }
  });

  it('provisions Grafana with a datasource on the Prometheus service and dashboards from the mounted folder', () => {
    const provisioning = mountedDir('grafana', '/etc/grafana/provisioning');
    const yamls = (folder: string) =>
      fs
        .readdirSync(path.join(provisioning, folder))
        .filter((file) => /\.ya?ml$/.test(file))
        .map(
          (file) => parse(fs.readFileSync(path.join(provisioning, folder, file), 'utf8')) as Record<string, unknown>,
        );
    const datasources = yamls('datasources').flatMap((file) => (file.datasources ?? []) as { url: string }[]);
    expect(datasources.length).toBeGreaterThan(0);
    for (const datasource of datasources) expectServiceAddress(datasource.url);
    const providers = yamls('dashboards').flatMap((file) => (file.providers ?? []) as { options: { path: string } }[]);
    expect(providers.map((p) => p.options.path)).toContain('/var/lib/grafana/dashboards');
    const dashboards = fs.readdirSync(mountedDir('grafana', '/var/lib/grafana/dashboards'));
    expect(dashboards.some((file) => file.endsWith('.json'))).toBe(true);
  });
});
