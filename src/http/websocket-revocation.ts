import { CloseCode } from 'graphql-ws';
import WebSocket from 'ws';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';

/**
 * The open sockets of each credential (API key, or member signed in by JWT) in this process, so
 * that revoking a key or removing a member ends its feeds at once: on this instance and, through
 * pub/sub, on every other (the principal cache forgets the credential on the same message). A
 * lost message is caught by `recheckCredentials`. Closing with 4403 (graphql-ws's Forbidden)
 * refuses the key; graphql-ws clients retry it, so a member whose role changed comes back with it.
 */
export class SocketsByCredential {
  private readonly byCredential = new Map<string, Map<WebSocket, Principal>>();

  add(principal: Principal, socket: WebSocket): void {
    const sockets = this.byCredential.get(principal.credential) ?? new Map<WebSocket, Principal>();
    sockets.set(socket, principal);
    this.byCredential.set(principal.credential, sockets);
  }

  remove(credential: string, socket: WebSocket): void {
    const sockets = this.byCredential.get(credential);
    if (!sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) this.byCredential.delete(credential);
  }

  /** Closes every socket of the credential; returns how many were open. */
  close(credential: string): number {
    const sockets = this.byCredential.get(credential);
    if (!sockets) return 0;
    this.byCredential.delete(credential);
    for (const socket of sockets.keys()) socket.close(CloseCode.Forbidden, REVOKED);
    return sockets.size;
  }

  /** Every open socket with the principal it was admitted as. */
  entries(): [WebSocket, Principal][] {
    return [...this.byCredential.values()].flatMap((sockets) => [...sockets]);
  }
}

// Also sent when the member's role changed (the credential as admitted no longer holds).
const REVOKED = 'Forbidden: the API key was revoked, or its member removed or given another role';

/** Tells which principals still hold, from one read of all of them (`credentialsStillHeld`). */
export type CredentialCheck = (principals: readonly Principal[]) => Promise<(principal: Principal) => boolean>;

/**
 * Reads the credentials of every open socket again every `intervalMs` (one check for all of them)
 * and closes with 4403 the sockets whose key was revoked or expired, whose member was removed, or
 * whose key's member changed role: a pub/sub revocation that never arrived (a Redis outage, an
 * instance that subscribed late) costs at most one interval. `recheck()` checks now (the pub/sub
 * reconnected); asked while a check runs, it runs after that one, which may have read too early.
 */
export function recheckCredentials(
  sockets: SocketsByCredential,
  options: { check: CredentialCheck; intervalMs: number; logger: Logger },
): { recheck(): Promise<void>; stop(): void } {
  const once = async () => {
    // Only sockets open now are judged: one admitted during the read was authenticated after it.
    const open = sockets.entries();
    if (open.length === 0) return;
    const principals = [...new Map(open.map(([, principal]) => [principal.credential, principal])).values()];
    try {
      const holds = await options.check(principals);
      const ended = open.filter(([socket, principal]) => socket.readyState === WebSocket.OPEN && !holds(principal));
      for (const [socket] of ended) socket.close(CloseCode.Forbidden, REVOKED);
      if (ended.length > 0)
        options.logger.info({ closed: ended.length }, 'closed sockets of credentials that no longer hold');
    } catch (error) {
      // The database is away: sockets stay (their feeds' own reads fail meanwhile); the next check decides.
      options.logger.warn({ err: error }, 'could not re-check the credentials of open sockets');
    }
  };
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const recheck = (): Promise<void> => {
    if (!running) return (running = once().finally(() => (running = undefined)));
    return (next ??= running.then(() => {
      next = undefined;
      return recheck();
    }));
  };
  const timer = setInterval(() => void recheck(), options.intervalMs);
  timer.unref();
  return { recheck, stop: () => clearInterval(timer) };
}

/** Closes the sockets of credentials any instance announces as revoked; returns a stop function. */
export function closeSocketsOfRevokedCredentials(sockets: SocketsByCredential, pubSub: AppPubSub): () => void {
  const revocations = pubSub.subscribe(Topic.CREDENTIALS_REVOKED);
  void (async () => {
    for await (const { credentials } of revocations) for (const credential of credentials) sockets.close(credential);
  })();
  return () => void revocations.return?.();
}

// setTimeout's longest delay (about 24.8 days); a later expiry is re-armed on the way.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes the socket (4403, as a revocation) when its credential expires: a JWT at its `exp`, an
 * API key at its expiry. Returns a function that cancels it (the socket closed first).
 */
export function closeAtExpiry(socket: WebSocket, expiresAt: Date): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt.getTime() - Date.now();
    if (remaining > MAX_TIMER_MS) {
      timer = setTimeout(arm, MAX_TIMER_MS);
    } else {
      timer = setTimeout(() => socket.close(CloseCode.Forbidden, 'Forbidden: the credential expired'), remaining);
    }
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
