/**
 * What graphql-ws iterates for a multiplexed subscription. It yields nothing: the group writes
 * each event's result to the subscriber itself, serialised once for all (see SubscriptionGroups),
 * instead of one `next()` promise chain, `JSON.stringify` and protocol check per subscriber.
 * It ends when the group ends (graphql-ws then sends `complete`, or `error` when it failed);
 * `return()` (the client completed, or its socket closed) leaves the group.
 */
export class LiveSubscription implements AsyncIterableIterator<never> {
  private done = false;
  private failure: { error: unknown } | null = null;
  private waiting: { resolve: (result: IteratorResult<never>) => void; reject: (error: unknown) => void } | null = null;

  constructor(private readonly onLeave: () => void) {}

  static ended(): LiveSubscription {
    const subscription = new LiveSubscription(() => {});
    subscription.end();
    return subscription;
  }

  /** The group ended (with `error` when it failed). */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (error !== undefined) this.failure = { error };
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) return;
    if (this.failure) waiting.reject(this.failure.error);
    else waiting.resolve({ value: undefined as never, done: true });
  }

  next(): Promise<IteratorResult<never>> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.done) return Promise.resolve({ value: undefined as never, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<never>> {
    if (!this.done) {
      this.done = true;
      this.onLeave();
    }
    this.failure = null;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve({ value: undefined as never, done: true });
    return Promise.resolve({ value: undefined as never, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<never>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
