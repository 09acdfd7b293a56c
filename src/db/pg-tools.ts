import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type PgToolName = 'pg_dump' | 'pg_restore';

export interface PgTool {
  path: string;
  /** Major version, e.g. 15. */
  major: number;
}

export class PgToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgToolError';
  }
}

// Debian installs each client version side by side here; /usr/bin/pg_dump wraps the newest.
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** Every `name` found in `binDir`, or else in Debian's versioned folders and on PATH, with its version. */
export function installedPgTools(name: PgToolName, binDir?: string): PgTool[] {
  const candidates = binDir ? [path.join(binDir, name)] : [...debianCandidates(name), ...pathCandidates(name)];
  const tools: PgTool[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    // /bin and /usr/bin are one folder on merged-/usr systems.
    const real = realPath(candidate);
    if (!real || seen.has(real)) continue;
    seen.add(real);
    const major = versionOf(candidate);
    if (major !== null) tools.push({ path: candidate, major });
  }
  return tools;
}

/**
 * The newest tool whose major version is at least the server's: pg_dump refuses (and pg_restore
 * may fail on) a server newer than itself.
 */
export function choosePgTool(name: PgToolName, serverMajor: number, tools: PgTool[]): PgTool {
  const newest = [...tools].sort((a, b) => b.major - a.major)[0];
  if (newest && newest.major >= serverMajor) return newest;
  const found = tools.length
    ? `found only ${tools.map((t) => `${name} ${t.major} (${t.path})`).join(', ')}`
    : `found none in ${DEBIAN_ROOT}/*/bin or on PATH`;
  throw new PgToolError(
    `${name} ${serverMajor} or newer is needed for this PostgreSQL ${serverMajor} server; ${found}. ` +
      `Install the PostgreSQL ${serverMajor} client (Debian: apt-get install postgresql-client-${serverMajor}, ` +
      `from apt.postgresql.org when your release has no such package), or pass --pg-bin-dir with the folder of a newer ${name}.`,
  );
}

function debianCandidates(name: PgToolName): string[] {
  if (!fs.existsSync(DEBIAN_ROOT)) return [];
  return fs.readdirSync(DEBIAN_ROOT).map((version) => path.join(DEBIAN_ROOT, version, 'bin', name));
}

function pathCandidates(name: PgToolName): string[] {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name));
}

function realPath(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

function versionOf(file: string): number | null {
  if (!fs.existsSync(file)) return null;
  try {
    const output = execFileSync(file, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(output);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
