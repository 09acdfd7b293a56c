import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { delivered } from '../tracing/pubsub-tracing';
import { tracingActive } from '../tracing/spans';
import { LiveSubscription } from './live-subscription';

/** graphql-js `subscribe()`: a stream of results, or the errors that kept it from starting. */
export type StartSubscription = () => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>;

/** Hands one event's result, serialised once for the whole group, to one subscriber. */
export type Deliver = (resultJson: string) => void;

/** Called once per event after every subscriber of the group was handed it (metrics). */
export type AfterEvent = () => void;

/**
 * Subscribers of the same operation (document, operation name, variables) with the same role
 * share one source stream, one execution per event and one serialised result (Hasura-style
 * multiplexing). A group starts with its first subscriber, who runs the subscribe phase
 * (authorisation, NOT_FOUND checks) for all, and stops when its last subscriber leaves.
 */
export class SubscriptionGroups {
  private readonly groups = new Map<string, SubscriptionGroup>();

  constructor(private readonly format: (result: ExecutionResult) => FormattedExecutionResult) {}

  /**
   * Joins the group of `key`, starting it with `start` when there is none. Returns the
   * subscription (it yields nothing: results go to `deliver`; it ends with the group), or the
   * formatted errors of a start that failed.
   */
  async join(
    key: string,
    start: StartSubscription,
    deliver: Deliver,
    afterEvent?: AfterEvent,
  ): Promise<LiveSubscription | FormattedExecutionResult> {
    // A group may end while a subscriber waits to join it (its last subscriber left): start anew.
    const joined =
      (await this.groupOf(key, start, afterEvent).join(deliver)) ??
      (await this.groupOf(key, start, afterEvent).join(deliver));
    // Its source ended at once twice (the server is stopping): the subscription completes.
    return joined ?? LiveSubscription.ended();
  }

  // `start` and `afterEvent` of the subscriber who starts a group serve it for all.
  private groupOf(key: string, start: StartSubscription, afterEvent?: AfterEvent): SubscriptionGroup {
    const existing = this.groups.get(key);
    if (existing) return existing;
    const group = new SubscriptionGroup(
      start,
      this.format,
      () => {
        if (this.groups.get(key) === group) this.groups.delete(key);
      },
      afterEvent,
    );
    this.groups.set(key, group);
    return group;
  }
}

class SubscriptionGroup {
  private readonly subscribers = new Map<LiveSubscription, Deliver>();
  private readonly started: Promise<AsyncGenerator<ExecutionResult> | FormattedExecutionResult>;
  private ended = false;

  constructor(
    start: StartSubscription,
    private readonly format: (result: ExecutionResult) => FormattedExecutionResult,
    private readonly onEnded: () => void,
    private readonly afterEvent?: AfterEvent,
  ) {
    this.started = start().then(
      (result) => {
        if (!isAsyncGenerator(result)) {
          this.end();
          return format(result);
        }
        void this.pump(result);
        return result;
      },
      (error: unknown) => {
        this.end();
        throw error;
      },
    );
  }

  /** The subscriber's subscription, the errors of a failed start, or null when the group has ended. */
  async join(deliver: Deliver): Promise<LiveSubscription | FormattedExecutionResult | null> {
    const started = await this.started;
    if (!isAsyncGenerator(started)) return started;
    if (this.ended) return null;
    const subscription: LiveSubscription = new LiveSubscription(() => this.leave(subscription, started));
    this.subscribers.set(subscription, deliver);
    return subscription;
  }

  private async pump(source: AsyncGenerator<ExecutionResult>): Promise<void> {
    try {
      for await (const result of source) {
        // One execution, formatting and serialisation per event, whatever the number of subscribers.
        const json = JSON.stringify(this.format(result));
        for (const deliver of this.subscribers.values()) deliver(json);
        if (tracingActive()) delivered(result, this.subscribers.size);
        this.afterEvent?.();
      }
      this.end();
    } catch (error) {
      this.end(error);
    }
  }

  private leave(subscription: LiveSubscription, source: AsyncGenerator<ExecutionResult>): void {
    this.subscribers.delete(subscription);
    if (this.subscribers.size > 0 || this.ended) return;
    this.end();
    void source.return(undefined);
  }

  private end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnded();
    for (const subscription of this.subscribers.keys()) subscription.end(error);
    this.subscribers.clear();
  }
}

function isAsyncGenerator<T>(value: unknown): value is AsyncGenerator<T> {
  return typeof (value as AsyncGenerator<T> | null)?.[Symbol.asyncIterator] === 'function';
}
