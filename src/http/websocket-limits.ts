/**
 * Close codes of the graphql-ws endpoint besides graphql-ws's own (4400–4499, 4500, 4504) and
 * ws's 1009 (a message over WS_MAX_MESSAGE_BYTES). Clients may reconnect after either, later.
 */
export const WsCloseCode = {
  /** The socket's send buffer passed WS_MAX_BUFFERED_BYTES: the client does not read fast enough. */
  SlowConsumer: 4008,
  /** The API key already has WS_MAX_SOCKETS_PER_KEY sockets open on this server. */
  TooManySockets: 4029,
  /** The database is away, so the key could not be checked: reconnect after a few seconds (RFC 6455's 1013). */
  TryAgainLater: 1013,
} as const;

/** Open sockets per API key (or JWT member) in this process; one over its limit gets no new socket. */
export class SocketsPerKey {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts one more socket for the credential; false (and nothing counted) when over the limit. */
  acquire(credential: string): boolean {
    const count = this.open.get(credential) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(credential, count + 1);
    return true;
  }

  release(credential: string): void {
    const count = (this.open.get(credential) ?? 0) - 1;
    if (count > 0) this.open.set(credential, count);
    else this.open.delete(credential);
  }
}
