import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Principal } from '../auth/principal';
import { RateLimitedError } from '../errors';
import type { Lease } from './leases';
import type { Quotas } from './quotas';

/** What is admitted on a socket: a lease when the operation is a subscription. */
export type Admission = { errors: GraphQLError[]; lease?: undefined } | { errors?: undefined; lease: Lease | null };

/**
 * The plan's quotas over graphql-ws: sockets per API key at connect, and per operation the
 * per-minute quotas and, for subscriptions, the tenant's subscriptions at once. Each socket's
 * leases are released when what holds them ends, and all of them when the socket closes.
 */
export class WebSocketQuotas {
  private readonly leases = new WeakMap<object, Set<Lease>>();

  constructor(private readonly quotas: Quotas) {}

  /** Counts the socket against its key's plan; false when the plan's sockets are all open, or it closed meanwhile. */
  async admitSocket(socket: object, principal: Principal, isOpen: () => boolean): Promise<boolean> {
    const lease = await this.quotas.acquireSocket(principal);
    if (!lease) return false;
    if (!isOpen()) {
      lease.release();
      return false;
    }
    this.hold(socket, lease);
    return true;
  }

  /** Admits an operation, or answers the errors of its refusal (RATE_LIMITED). */
  async admitOperation(socket: object, principal: Principal, operation: OperationDefinitionNode): Promise<Admission> {
    let lease: Lease | null = null;
    try {
      if (operation.operation === 'subscription') lease = await this.quotas.acquireSubscription(principal);
      await this.quotas.admit(principal, operation);
    } catch (error) {
      lease?.release();
      if (error instanceof RateLimitedError) return { errors: [error] };
      throw error;
    }
    if (lease) this.hold(socket, lease);
    return { lease };
  }

  /** Releases `lease` when the subscription ends (or failed to start) instead of at the socket's close. */
  async releaseWhenDone<T extends object>(socket: object, lease: Lease | null, started: Promise<T>): Promise<T> {
    if (!lease) return started;
    const release = () => {
      lease.release();
      this.leases.get(socket)?.delete(lease);
    };
    let result: T;
    try {
      result = await started;
    } catch (error) {
      release();
      throw error;
    }
    if (!isAsyncIterator(result)) {
      release();
      return result;
    }
    return new ReleasingIterator(result, release) as unknown as T;
  }

  /** The socket closed: everything it held is released. */
  closed(socket: object): void {
    const held = this.leases.get(socket);
    if (!held) return;
    this.leases.delete(socket);
    for (const lease of held) lease.release();
  }

  private hold(socket: object, lease: Lease): void {
    let held = this.leases.get(socket);
    if (!held) this.leases.set(socket, (held = new Set()));
    held.add(lease);
  }
}

function isAsyncIterator(value: object): value is AsyncIterator<unknown> & AsyncIterable<unknown> {
  return Symbol.asyncIterator in value && typeof (value as { next?: unknown }).next === 'function';
}

// An async iterator that runs `onEnd` once when it completes, fails or is returned.
class ReleasingIterator<T> implements AsyncIterableIterator<T> {
  private ended = false;

  constructor(
    private readonly inner: AsyncIterator<T>,
    private readonly onEnd: () => void,
  ) {}

  async next(): Promise<IteratorResult<T>> {
    try {
      const result = await this.inner.next();
      if (result.done) this.end();
      return result;
    } catch (error) {
      this.end();
      throw error;
    }
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return (await this.inner.return?.(value)) ?? { value: undefined as T, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    if (this.inner.throw) return this.inner.throw(error);
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
