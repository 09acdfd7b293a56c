import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import Redis from 'ioredis';
import type { Logger } from '../logger';
import type { PubSubChannels } from './topics';

export type AppPubSub = PubSub<PubSubChannels>;

export interface PubSubHandle {
  pubSub: AppPubSub;
  close(): Promise<void>;
}

/**
 * In-process pub/sub, or Redis-backed so every server instance sees every event.
 * `namespace` prefixes Redis channels so deployments sharing a Redis stay apart.
 */
export function createAppPubSub(options: { redisUrl?: string; namespace: string; logger: Logger }): PubSubHandle {
  if (!options.redisUrl) return { pubSub: createPubSub<PubSubChannels>(), close: async () => {} };
  // Publishing fails fast while Redis is away (no queue); subscribing waits for it to return.
  const publishClient = redisClient(options.redisUrl, options.logger, false);
  const subscribeClient = redisClient(options.redisUrl, options.logger, true);
  const redisTarget = createRedisEventTarget<CustomEvent>({
    publishClient: safePublisher(publishClient, options.logger),
    subscribeClient,
  });
  return {
    pubSub: createPubSub<PubSubChannels>({ eventTarget: prefixed(redisTarget, `${options.namespace}:`) }),
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

function redisClient(url: string, logger: Logger, enableOfflineQueue: boolean): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue });
  client.on('error', (error) => logger.warn({ err: error }, 'pub/sub Redis error'));
  return client;
}

// The event target publishes without handling failures; a lost update must not kill the process.
function safePublisher(client: Redis, logger: Logger): Redis {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'publish') return Reflect.get(target, property, receiver);
      return (channel: string, message: string) =>
        target.publish(channel, message).catch((error: unknown) => {
          logger.error({ err: error, channel }, 'pub/sub publish failed');
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
