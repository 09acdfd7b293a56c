import type { OperationDefinitionNode } from 'graphql';
import { OTHER } from './bounded-label';
import type { AppMetrics } from './app-metrics';

// Close codes the server or graphql-ws use; any other code is counted as `other`.
const CLOSE_CODES = new Set([
  1000, 1001, 1006, 1008, 1009, 1011, 4008, 4029, 4400, 4401, 4403, 4406, 4408, 4409, 4429, 4499, 4500,
]);

/**
 * WebSocket and subscription metrics, called from the graphql-ws hooks once per socket and per
 * subscription (and once per event and group for the push lag), never per delivered message.
 */
export class WebSocketMetrics {
  private readonly open = new WeakSet<object>();
  // Per socket: the root field of each running subscription, by operation id.
  private readonly running = new WeakMap<object, Map<string, string>>();

  constructor(private readonly metrics: AppMetrics) {}

  /** A socket was accepted (its key and quotas passed). */
  connected(socket: object): void {
    this.open.add(socket);
    this.metrics.families.websocketConnections.inc();
  }

  closed(socket: object, code: number): void {
    if (this.open.delete(socket)) this.metrics.families.websocketConnections.dec();
    this.metrics.families.websocketCloses.inc({ code: CLOSE_CODES.has(code) ? String(code) : OTHER });
    const running = this.running.get(socket);
    if (!running) return;
    // graphql-ws completes them too, but a socket that goes first must not leave them counted.
    for (const id of [...running.keys()]) this.subscriptionEnded(socket, id);
  }

  subscriptionStarted(socket: object, id: string, field: string): void {
    let running = this.running.get(socket);
    if (!running) this.running.set(socket, (running = new Map()));
    if (running.has(id)) return;
    running.set(id, field);
    this.metrics.families.subscriptionsStarted.inc({ field });
    this.metrics.families.subscriptionsActive.inc({ field });
  }

  subscriptionEnded(socket: object, id: string): void {
    const running = this.running.get(socket);
    const field = running?.get(id);
    if (field === undefined) return;
    running!.delete(id);
    this.metrics.families.subscriptionsActive.dec({ field });
  }

  /** An event committed at `recordedAt` (ms since the epoch) was handed to a group's subscribers. */
  pushed(field: string, recordedAt: number): void {
    this.metrics.families.eventPushLag.observe({ field }, Math.max(0, Date.now() - recordedAt) / 1000);
  }
}

/**
 * The root field of a subscription operation (graphql-js allows exactly one, validated against
 * the schema, so the label is bounded by it); `other` when it hides behind a fragment.
 */
export function subscriptionFieldOf(operation: OperationDefinitionNode): string {
  const first = operation.selectionSet.selections[0];
  return first?.kind === 'Field' ? first.name.value : OTHER;
}
