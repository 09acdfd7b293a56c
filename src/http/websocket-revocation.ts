import { CloseCode } from 'graphql-ws';
import type WebSocket from 'ws';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';

/**
 * The open sockets of each credential (API key, or member signed in by JWT) in this process, so
 * that revoking a key or removing a member ends its feeds at once: on this instance and, through
 * pub/sub, on every other (the principal cache forgets the credential on the same message).
 * Closing with 4403 (graphql-ws's Forbidden) tells clients not to reconnect with the same key.
 */
export class SocketsByCredential {
  private readonly byKey = new Map<string, Set<WebSocket>>();

  add(credential: string, socket: WebSocket): void {
    const sockets = this.byKey.get(credential) ?? new Set<WebSocket>();
    sockets.add(socket);
    this.byKey.set(credential, sockets);
  }

  remove(credential: string, socket: WebSocket): void {
    const sockets = this.byKey.get(credential);
    if (!sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) this.byKey.delete(credential);
  }

  /** Closes every socket of the credential; returns how many were open. */
  close(credential: string): number {
    const sockets = this.byKey.get(credential);
    if (!sockets) return 0;
    this.byKey.delete(credential);
    for (const socket of sockets)
      socket.close(CloseCode.Forbidden, 'Forbidden: the API key was revoked or the member removed');
    return sockets.size;
  }
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
