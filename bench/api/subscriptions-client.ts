import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { postJson } from './http-post';

/**
 * A minimal graphql-transport-ws client over `ws`, for load generation: one object per socket,
 * one map entry per subscription, and the receive time taken before the message is parsed.
 * The `graphql-ws` library client keeps a sink, promise and closure chain per subscription;
 * this keeps the load generator's own cost out of the latencies at 10,000 subscriptions.
 */

/** What a socket tells one subscription; `receivedAt` is `performance.now()` on arrival. */
export interface SubscriptionSink {
  next(payload: ExecutionPayload, receivedAt: number): void;
  /** The server sent `error` or `complete`, or the socket closed: no more events. */
  end(reason: SubscriptionEnd): void;
}

export interface ExecutionPayload {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface SubscriptionEnd {
  kind: 'error' | 'complete' | 'closed';
  detail: string;
}

interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

const PROTOCOL = 'graphql-transport-ws';

export class BenchSocket {
  private readonly sinks = new Map<string, SubscriptionSink>();
  private nextId = 0;
  private closing = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(data as Buffer));
    ws.on('close', (code, reason) => this.endAll({ kind: 'closed', detail: `${code} ${reason.toString()}` }));
  }

  /** Opens a socket and completes the connection_init / connection_ack handshake. */
  static open(url: string, apiKey: string, timeoutMs: number): Promise<BenchSocket> {
    const ws = new WebSocket(url, PROTOCOL, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    return new Promise<BenchSocket>((resolve, reject) => {
      const fail = (message: string) => {
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => {}); // a late error after terminate() must not crash the process
        ws.terminate();
        reject(new Error(`graphql-ws connect to ${url}: ${message}`));
      };
      const timer = setTimeout(() => fail(`no connection_ack within ${timeoutMs} ms`), timeoutMs);
      ws.on('error', (error) => fail(error.message));
      ws.on('close', (code, reason) => fail(`closed ${code} ${reason.toString()}`));
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': apiKey } })));
      ws.once('message', (data) => {
        const message = JSON.parse((data as Buffer).toString()) as ServerMessage;
        if (message.type !== 'connection_ack') return fail(`expected connection_ack, got ${message.type}`);
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => {}); // reported through 'close', which always follows
        resolve(new BenchSocket(ws));
      });
    });
  }

  subscribe(query: string, variables: Record<string, unknown>, sink: SubscriptionSink): void {
    const id = String(++this.nextId);
    this.sinks.set(id, sink);
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  /** Closes the socket (1000) and resolves when it is closed, or after `timeoutMs`. */
  close(timeoutMs: number): Promise<void> {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000, 'bench done');
    });
  }

  private receive(data: Buffer): void {
    const receivedAt = performance.now();
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'ping') return this.ws.send('{"type":"pong"}');
    const sink = message.id === undefined ? undefined : this.sinks.get(message.id);
    if (!sink) return;
    if (message.type === 'next') return sink.next(message.payload as ExecutionPayload, receivedAt);
    if (message.type === 'error' || message.type === 'complete') {
      this.sinks.delete(message.id!);
      sink.end({ kind: message.type, detail: message.type === 'error' ? JSON.stringify(message.payload) : '' });
    }
  }

  private endAll(reason: SubscriptionEnd): void {
    if (this.closing) return this.sinks.clear();
    for (const sink of this.sinks.values()) sink.end(reason);
    this.sinks.clear();
  }
}

/** Opens `count` sockets, `concurrency` handshakes at a time; closes them all if one fails. */
export async function openSockets(
  wsUrl: string,
  apiKey: string,
  count: number,
  options: { concurrency: number; timeoutMs: number },
): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  try {
    for (let start = 0; start < count; start += options.concurrency) {
      const batch = Math.min(options.concurrency, count - start);
      const opened = await Promise.allSettled(
        Array.from({ length: batch }, () => BenchSocket.open(wsUrl, apiKey, options.timeoutMs)),
      );
      for (const result of opened) if (result.status === 'fulfilled') sockets.push(result.value);
      const failed = opened.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return sockets;
  } catch (error) {
    await closeSockets(sockets);
    throw error;
  }
}

export async function closeSockets(sockets: BenchSocket[], timeoutMs = 5_000): Promise<void> {
  await Promise.all(sockets.map((socket) => socket.close(timeoutMs)));
}

/** POSTs one operation; resolves with `data`, rejects on HTTP, GraphQL or timeout errors. */
export async function graphqlRequest<T>(
  httpUrl: string,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
  timeoutMs = 10_000,
): Promise<T> {
  const answer = await postJson(httpUrl, { 'x-api-key': apiKey }, JSON.stringify({ query, variables }), timeoutMs);
  const body = answer.body as ExecutionPayload;
  if (body.errors?.length || !body.data) {
    throw new GraphqlRequestError(answer.status, body.errors ?? []);
  }
  return body.data as T;
}

export class GraphqlRequestError extends Error {
  readonly codes: string[];

  constructor(status: number, errors: NonNullable<ExecutionPayload['errors']>) {
    super(`HTTP ${status}: ${errors.map((e) => `${String(e.extensions?.code)} ${e.message}`).join('; ')}`);
    this.name = 'GraphqlRequestError';
    this.codes = errors.map((e) => String(e.extensions?.code));
  }
}
