import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../db/orm';
import type { Logger } from '../logger';
import type { PubSubHandle } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import { LiveSequencer } from './live-sequencer';
import { liveUpdateSource } from './live-update.store';

/**
 * The process's sequencer, fed by LIVE_UPDATE from every instance, and swept again each time the
 * pub/sub's subscribing connection is back (what was published meanwhile was lost). Returns it
 * and a function that stops it.
 */
export function startLiveSequencer(options: { orm: Orm; pubSub: PubSubHandle; logger: Logger; sweepSeconds: number }): {
  sequencer: LiveSequencer;
  stop: () => void;
} {
  const { orm, pubSub, logger } = options;
  const sequencer = new LiveSequencer(
    liveUpdateSource(() => orm.em.fork() as EntityManager),
    logger,
    options.sweepSeconds * 1000,
  );
  const updates = pubSub.pubSub.subscribe(Topic.LIVE_UPDATE);
  void (async () => {
    for await (const update of updates) sequencer.receive(update);
  })().catch((error: unknown) => logger.error({ err: error }, 'live feed stopped taking updates'));
  const stopResyncing = pubSub.onSubscriberReady(() => void sequencer.sweep());
  return {
    sequencer,
    stop: () => {
      stopResyncing();
      void updates.return?.(undefined);
      sequencer.close();
    },
  };
}
