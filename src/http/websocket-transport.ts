import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols, type Server } from 'graphql-ws';
import WebSocket, { type WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import { requestIdFrom } from './request-id';
import { WsCloseCode } from './websocket-limits';

/** What graphql-ws hooks see of a socket (`ctx.extra`). */
export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
  /** Sends a message now, as graphql-ws does through the transport (see serveGraphqlWs). */
  send(data: string): void;
  /** The credential counted against WS_MAX_SOCKETS_PER_KEY once the socket is acknowledged. */
  credential?: string;
  /** Cancels the close planned for the credential's expiry (see closeAtExpiry). */
  cancelExpiry?: () => void;
  /** The upgrade request's X-Request-Id (when sane) or a new id; each operation's request id starts with it. */
  connectionId: string;
}

export interface TransportOptions {
  /** Bytes a socket may have waiting to be sent; beyond, it is closed with WsCloseCode.SlowConsumer. */
  maxBufferedBytes: number;
  logger: Logger;
  /** Ping interval; a socket that does not answer within as long again is dropped. */
  keepAliveMs?: number;
}

/**
 * Serves a graphql-ws server on a `ws` server, like graphql-ws's `useServer`, except for sending:
 * a send never waits for the network. `useServer` awaits every write, so a client that stops
 * reading holds each of its subscriptions' events in memory without limit; here events go to the
 * socket's buffer at once and a socket whose buffer passes `maxBufferedBytes` is closed.
 */
export function serveGraphqlWs(
  wsServer: WebSocketServer,
  server: Server<SocketExtra>,
  options: TransportOptions,
): { dispose(): Promise<void> } {
  wsServer.options.handleProtocols = handleProtocols;
  wsServer.on('connection', (socket, request) => {
    let released = false;
    const send = batchedSender(socket, request.socket, () => {
      if (socket.readyState === WebSocket.OPEN && socket.bufferedAmount > options.maxBufferedBytes) {
        dropSlowConsumer();
      }
    });
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send,
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            // A released socket may still be closing behind a full buffer: nothing new starts on it.
            if (released) return;
            handle(String(data)).catch((error: unknown) => {
              options.logger.error({ err: error }, 'WebSocket message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request, send, connectionId: requestIdFrom(request.headers['x-request-id']) },
    );
    // Once: the subscriptions of a dropped consumer are released before its socket is gone.
    const release = (code: number, reason: string) => {
      if (released) return;
      released = true;
      void closed(code, reason);
    };
    const dropSlowConsumer = () => {
      options.logger.warn({ bufferedBytes: socket.bufferedAmount }, 'closing a WebSocket whose client does not read');
      socket.close(WsCloseCode.SlowConsumer, 'Slow consumer: send buffer full');
      release(WsCloseCode.SlowConsumer, 'Slow consumer');
    };
    const stopKeepAlive = keepAlive(socket, options.keepAliveMs ?? 12_000);
    // e.g. a message over the size limit: ws has begun closing with its own code (1009) already.
    socket.once('error', (error) => {
      options.logger.warn({ err: error }, 'WebSocket error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    socket.once('close', (code, reason) => {
      stopKeepAlive();
      release(code, String(reason));
    });
  });
  return {
    dispose: async () => {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners('connection');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/**
 * Sends without waiting for the network. The messages sent in one go (an event reaching this
 * socket's subscriptions) leave in one write: the TCP socket is corked until the current
 * microtasks are done, then `afterFlush` checks what the kernel did not take.
 */
function batchedSender(socket: WebSocket, tcp: Duplex, afterFlush: () => void): (data: string) => void {
  let corked = false;
  const flush = () => {
    corked = false;
    tcp.uncork();
    afterFlush();
  };
  return (data) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!corked) {
      corked = true;
      tcp.cork();
      process.nextTick(flush);
    }
    socket.send(data);
  };
}

// Pings drop sockets whose peer vanished without closing (and whose buffers would linger).
function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let pongWait: NodeJS.Timeout | null = null;
  const interval = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    pongWait = setTimeout(() => socket.terminate(), intervalMs);
    socket.once('pong', () => {
      if (pongWait) clearTimeout(pongWait);
      pongWait = null;
    });
    socket.ping();
  }, intervalMs);
  return () => {
    clearInterval(interval);
    if (pongWait) clearTimeout(pongWait);
  };
}
