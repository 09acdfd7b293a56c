import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { Logger } from '../logger';
import { context } from '@opentelemetry/api';
import { dispatchTraced, received } from '../tracing/pubsub-tracing';
import { tracingActive } from '../tracing/spans';

type Listener = (event: CustomEvent) => void;
type Callback = Listener | { handleEvent: Listener };

/**
 * An event target that holds one listener per topic on `target`, however many listen here, and
 * hands each event to them in process. Every local listener gets the same event object, so work
 * keyed on it (a payload computed once per event) is shared. Without it, the in-memory target warns
 * `MaxListenersExceededWarning` from 11 listeners on one topic and pays one dispatch per listener.
 */
export function fanOut(target: TypedEventTarget<CustomEvent>, logger: Logger): TypedEventTarget<CustomEvent> {
  const topics = new Map<string, { listeners: Set<Listener>; deliver: Listener }>();

  // Per topic: below us the event may carry another name (e.g. the Redis channel's, prefixed).
  const deliverTo = (topic: string, listeners: Set<Listener>) => (incoming: CustomEvent) => {
    const { event, context: publisher } = received(incoming);
    if (publisher) return context.with(publisher, () => deliver(topic, listeners, event));
    deliver(topic, listeners, event);
  };
  const deliver = (topic: string, listeners: Set<Listener>, event: CustomEvent) => {
    // A copy: a listener may leave (or a new one join) while the event is being delivered.
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber must not keep the event from the others.
        logger.error({ err: error, topic }, 'pub/sub listener failed');
      }
    }
  };
  const dispatch = (event: CustomEvent) => target.dispatchEvent(event);

  return {
    addEventListener(topic, callback) {
      if (!callback) return;
      let entry = topics.get(topic);
      if (!entry) {
        const listeners = new Set<Listener>();
        entry = { listeners, deliver: deliverTo(topic, listeners) };
        topics.set(topic, entry);
        target.addEventListener(topic, entry.deliver);
      }
      entry.listeners.add(listenerOf(callback as Callback));
    },
    removeEventListener(topic, callback) {
      const entry = topics.get(topic);
      if (!callback || !entry) return;
      entry.listeners.delete(listenerOf(callback as Callback));
      if (entry.listeners.size > 0) return;
      topics.delete(topic);
      target.removeEventListener(topic, entry.deliver);
    },
    // With tracing on, the payload carries the publisher's trace (tracing/pubsub-tracing.ts).
    dispatchEvent: (event) => (tracingActive() ? dispatchTraced(event, dispatch) : dispatch(event)),
  };
}

// The same function object for add and remove, whichever form the caller used.
const handlers = new WeakMap<object, Listener>();

function listenerOf(callback: Callback): Listener {
  if (typeof callback === 'function') return callback;
  let listener = handlers.get(callback);
  if (!listener) {
    listener = (event) => callback.handleEvent(event);
    handlers.set(callback, listener);
  }
  return listener;
}
