import WebSocket from 'ws';
import { ignoringRequestIds } from '../support/request-ids';

interface Message {
  id?: string;
  type: string;
  payload?: unknown;
}

/**
 * A graphql-transport-ws client written by hand, for clients a library would not let us be:
 * one that stops reading its socket, or sends messages far over the limits.
 */
export class RawSocket {
  readonly messages: Message[] = [];
  receivedBytes = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    socket.on('message', (data: Buffer) => {
      this.receivedBytes += data.length;
      this.messages.push(JSON.parse(String(data), ignoringRequestIds) as Message);
    });
    socket.on('error', () => undefined); // the close event says what happened
  }

  /** Opens a socket and, with an API key, waits for the server's acknowledgement. */
  static async open(httpUrl: string, apiKey?: string): Promise<RawSocket> {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const raw = new RawSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    if (apiKey === undefined) return raw;
    raw.send({ type: 'connection_init', payload: { 'x-api-key': apiKey } });
    await raw.until(() => raw.messages.some((m) => m.type === 'connection_ack') || raw.socket.readyState > 1);
    return raw;
  }

  send(message: Message | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  /** Messages of one operation (or all operations) of a type. */
  of(type: string, id?: string): Message[] {
    return this.messages.filter((m) => m.type === type && (id === undefined || m.id === id));
  }

  async until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('timed out waiting on a raw WebSocket');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.terminate();
  }
}
