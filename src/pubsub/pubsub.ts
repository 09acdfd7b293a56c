import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import Redis from 'ioredis';
import type { Logger } from '../logger';
import { fanOut } from './fanout';
import type { PubSubChannels } from './topics';

export type AppPubSub = PubSub<PubSubChannels>;

export interface PubSubHandle {
  pubSub: AppPubSub;
  /** Resolves once a publish would reach Redis (a short-lived CLI waits for it before publishing). */
  ready(): Promise<void>;
  /** A round trip on the publishing connection, and the subscribing one connected; throws otherwise. */
  ping(): Promise<void>;
  /**
   * Calls `listener` each time the subscribing connection becomes ready (its channels subscribed
   * again): messages published while it was away are lost, so what they would have said must be
   * read again. Never called in process. Returns a function that stops it.
   */
  onSubscriberReady(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * In-process pub/sub, or Redis-backed so every server instance sees every event.
 * `namespace` prefixes Redis channels so deployments sharing a Redis stay apart.
 * Either way one listener per topic (topic and id) is attached to the backend, however many
 * subscribe in this process (see `fanOut`).
 */
export function createAppPubSub(options: { redisUrl?: string; namespace: string; logger: Logger }): PubSubHandle {
  if (!options.redisUrl) {
    const local = new EventTarget() as TypedEventTarget<CustomEvent>;
    return {
      pubSub: createPubSub<PubSubChannels>({ eventTarget: fanOut(local, options.logger) }),
      ready: async () => {},
      ping: async () => {},
      onSubscriberReady: () => () => {},
      close: async () => {},
    };
  }
  // Publishing fails fast while Redis is away (no queue); subscribing waits for it to return.
  const publishClient = redisClient(options.redisUrl, options.logger, false, `${options.namespace}:publish`);
  const subscribeClient = redisClient(options.redisUrl, options.logger, true, `${options.namespace}:subscribe`);
  const redisTarget = createRedisEventTarget<CustomEvent>({
    publishClient: withoutRejections(publishClient, ['publish'], options.logger),
    subscribeClient: withoutRejections(subscribeClient, ['subscribe', 'unsubscribe'], options.logger),
  });
  return {
    pubSub: createPubSub<PubSubChannels>({
      eventTarget: fanOut(prefixed(redisTarget, `${options.namespace}:`), options.logger),
    }),
    ready: () => connected(publishClient, READY_TIMEOUT_MS),
    ping: async () => {
      await publishClient.ping();
      if (subscribeClient.status !== 'ready') throw new Error(`subscriber connection is ${subscribeClient.status}`);
    },
    onSubscriberReady: (listener) => {
      // ioredis emits 'ready' on the tick after it sent the SUBSCRIBEs again.
      subscribeClient.on('ready', listener);
      return () => void subscribeClient.off('ready', listener);
    },
    close: async () => {
      // QUIT once what was published has been sent (a CLI announcing a change exits next).
      await publishClient.quit().catch(() => publishClient.disconnect());
      subscribeClient.disconnect();
    },
  };
}

/** How long a CLI waits for Redis before giving up on announcing. */
const READY_TIMEOUT_MS = 5000;

// Publishing fails at once while the client is still connecting (no offline queue).
function connected(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Named (CLIENT LIST shows which connection is whose, and CLIENT KILL can pick one).
function redisClient(url: string, logger: Logger, enableOfflineQueue: boolean, connectionName: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue, connectionName });
  client.on('error', (error) => logger.warn({ err: error }, 'pub/sub Redis error'));
  return client;
}

// The event target calls these without handling failures (a publish while Redis is away, a
// subscribe cut short by a close): a lost update must not become an unhandled rejection.
function withoutRejections(
  client: Redis,
  commands: ('publish' | 'subscribe' | 'unsubscribe')[],
  logger: Logger,
): Redis {
  const guarded = new Set<PropertyKey>(commands);
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (!guarded.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => {
          logger.error({ err: error, command: property, channel: args[0] }, 'pub/sub Redis command failed');
          return 0;
        });
    },
  });
}

function prefixed(target: TypedEventTarget<CustomEvent>, prefix: string): TypedEventTarget<CustomEvent> {
  return {
    addEventListener: (type, listener, options) => target.addEventListener(prefix + type, listener, options),
    removeEventListener: (type, listener, options) => target.removeEventListener(prefix + type, listener, options),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  };
}
