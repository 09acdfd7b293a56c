import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphqlResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/** Speaks to the server as a client would: HTTP POST for operations, graphql-ws for subscriptions. */
export class GraphqlClient {
  constructor(
    readonly url: string,
    readonly apiKey?: string,
  ) {}

  async request<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<GraphqlResponse<T>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphqlResponse<T>, 'status'>) };
  }

  /** Data of a response that must have succeeded; fails the test with the errors otherwise. */
  async data<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const response = await this.request(document, variables);
    if (response.errors?.length || !response.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    }
    return response.data;
  }

  /** The `extensions.code` values of a response that must have failed. */
  async errorCodes<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<string[]> {
    const response = await this.request(document, variables);
    return (response.errors ?? []).map((e) => String(e.extensions?.code));
  }

  /** A graphql-ws client on the same URL, authenticating with this client's key at connect. */
  websocket(options: { onClosed?: (event: { code: number; reason: string }) => void } = {}): Client {
    return createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.apiKey ? { 'x-api-key': this.apiKey } : {},
      retryAttempts: 0,
      lazy: true,
      on: {
        closed: (event) => options.onClosed?.(event as { code: number; reason: string }),
      },
    });
  }
}

/** Collects the events of one subscription. */
export class Subscription<T, V = Record<string, unknown>> {
  readonly events: T[] = [];
  readonly errors: unknown[] = [];
  private waiters: (() => void)[] = [];
  private readonly dispose: () => void;

  constructor(client: Client, document: TypedDocumentNode<T, V>, variables: V) {
    this.dispose = client.subscribe<T>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (value) => {
          if (value.errors) this.errors.push(...value.errors);
          if (value.data) this.events.push(value.data as T);
          this.notify();
        },
        error: (error) => {
          // graphql-ws reports operation errors as an array, socket problems as one value.
          if (Array.isArray(error)) this.errors.push(...(error as unknown[]));
          else this.errors.push(error);
          this.notify();
        },
        complete: () => this.notify(),
      },
    );
  }

  /** Resolves once `count` events (or an error) arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 5000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count && this.errors.length === 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${count} events, got ${this.events.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  close(): void {
    this.dispose();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
