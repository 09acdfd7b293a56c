import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// No Docker engine here: tests read the files and hold them to the repository and the config.
export const root = path.resolve(__dirname, '../..');
export const dockerDir = path.join(root, 'docker');
export const dockerfile = fs.readFileSync(path.join(dockerDir, 'Dockerfile'), 'utf8');

export interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: unknown;
}

export const compose = parse(fs.readFileSync(path.join(dockerDir, 'compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};

export interface Instruction {
  op: string;
  args: string;
}

export function instructions(): Instruction[] {
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

/** `ENV A=1 B=2` of the runtime stage, as a record. */
export function dockerfileEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions().filter((i) => i.op === 'ENV')) {
    for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  }
  return env;
}

export interface Mount {
  source: string;
  target: string;
  /** Host path the source names, resolved from docker/; undefined for a named volume. */
  hostPath?: string;
}

export function mounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((entry) => {
    const [source, target] = entry.split(':') as [string, string];
    const isPath = source.startsWith('.') || source.startsWith('/');
    return { source, target, hostPath: isPath ? path.resolve(dockerDir, source) : undefined };
  });
}

/** `host:container` port mappings as numbers. */
export function portMappings(service: Service): { host: number; container: number }[] {
  return (service.ports ?? []).map((entry) => {
    const [host, container] = entry.split(':').map(Number);
    return { host: host!, container: container! };
  });
}

/** Reads a YAML file of the monitoring folder through the compose mount that serves it. */
export function mountedYaml<T>(service: string, target: string): T {
  const mount = mounts(compose.services[service]!).find((m) => m.target === target);
  if (!mount?.hostPath) throw new Error(`${service} mounts nothing at ${target}`);
  return parse(fs.readFileSync(mount.hostPath, 'utf8')) as T;
}

/** The host folder mounted at `target` in `service`. */
export function mountedDir(service: string, target: string): string {
  const mount = mounts(compose.services[service]!).find((m) => m.target === target);
  if (!mount?.hostPath) throw new Error(`${service} mounts nothing at ${target}`);
  return mount.hostPath;
}
