import { CloseCode } from 'graphql-ws';
import type WebSocket from 'ws';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';

/**
 * The open sockets of each API key in this process, so that revoking a key ends its feeds at
 * once: on this instance and, through pub/sub, on every other (the principal cache forgets the
 * key on the same message). Closing with 4403 (graphql-ws's Forbidden) tells clients not to
 * reconnect with the same key.
 */
export class SocketsByKey {
  private readonly byKey = new Map<number, Set<WebSocket>>();

  add(apiKeyId: number, socket: WebSocket): void {
    const sockets = this.byKey.get(apiKeyId) ?? new Set<WebSocket>();
    sockets.add(socket);
    this.byKey.set(apiKeyId, sockets);
  }

  remove(apiKeyId: number, socket: WebSocket): void {
    const sockets = this.byKey.get(apiKeyId);
    if (!sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) this.byKey.delete(apiKeyId);
  }

  /** Closes every socket of the key; returns how many were open. */
  closeKey(apiKeyId: number): number {
    const sockets = this.byKey.get(apiKeyId);
    if (!sockets) return 0;
    this.byKey.delete(apiKeyId);
    for (const socket of sockets) socket.close(CloseCode.Forbidden, 'Forbidden: the API key was revoked');
    return sockets.size;
  }
}

/** Closes the sockets of keys that any instance announces as revoked; returns a stop function. */
export function closeSocketsOfRevokedKeys(sockets: SocketsByKey, pubSub: AppPubSub): () => void {
  const revocations = pubSub.subscribe(Topic.API_KEY_REVOKED);
  void (async () => {
    for await (const { apiKeyId } of revocations) sockets.closeKey(apiKeyId);
  })();
  return () => void revocations.return?.();
}
