import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import Redis from 'ioredis';
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
export function createAppPubSub(options: { redisUrl?: string; namespace: string }): PubSubHandle {
  if (!options.redisUrl) return { pubSub: createPubSub<PubSubChannels>(), close: async () => {} };
  const publishClient = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const redisTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubSub: createPubSub<PubSubChannels>({ eventTarget: prefixed(redisTarget, `${options.namespace}:`) }),
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

function prefixed(target: TypedEventTarget<CustomEvent>, prefix: string): TypedEventTarget<CustomEvent> {
  return {
    addEventListener: (type, listener, options) => target.addEventListener(prefix + type, listener, options),
    removeEventListener: (type, listener, options) => target.removeEventListener(prefix + type, listener, options),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  };
}
