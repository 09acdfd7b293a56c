import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { endSpan, recording, SpanKind, tracer, tracingActive } from './spans';

// The publisher's W3C traceparent, beside a message's payload; taken off again on receipt.
const TRACE_FIELD = '__traceparent';

// The context each received payload was published in, for the subscriptions it feeds.
const publishedIn = new WeakMap<object, Context>();

/**
 * Dispatches `event` under a producer span `publish <topic>` (topic ids left out of the name),
 * its payload carrying the span's traceparent: in process and through Redis alike, the receiving
 * end (`received`) continues the trace. The Redis PUBLISH is the span's child.
 */
export function dispatchTraced(event: CustomEvent, dispatch: (event: CustomEvent) => boolean): boolean {
  const detail: unknown = event.detail;
  if (!isRecord(detail) || !recording(context.active())) return dispatch(event);
  const span = tracer.startSpan(`publish ${event.type.split(':')[0]}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'matchcast-pubsub', 'messaging.destination.name': event.type },
  });
  const active = trace.setSpan(context.active(), span);
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  const traced = new CustomEvent(event.type, { detail: { ...detail, [TRACE_FIELD]: carrier.traceparent } });
  try {
    return context.with(active, () => dispatch(traced));
  } finally {
    endSpan(span);
  }
}

/**
 * The event as published (its traceparent taken off, whether or not tracing is on here), and,
 * with tracing on, the publisher's context to hand it to listeners in.
 */
export function received(event: CustomEvent): { event: CustomEvent; context?: Context } {
  const detail: unknown = event.detail;
  if (!isRecord(detail) || !(TRACE_FIELD in detail)) return { event };
  const { [TRACE_FIELD]: traceparent, ...payload } = detail;
  const plain = new CustomEvent(event.type, { detail: payload });
  if (!tracingActive() || typeof traceparent !== 'string') return { event: plain };
  const publisher = propagation.extract(ROOT_CONTEXT, { traceparent });
  publishedIn.set(payload, publisher);
  return { event: plain, context: publisher };
}

/** The context a received payload was published in (tracing on), for the work it causes. */
export function publishedContextOf(payload: unknown): Context | undefined {
  return isRecord(payload) ? publishedIn.get(payload) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// An event's `live.deliver` span, from its execution until every subscriber was handed the result.
const deliveries = new WeakMap<object, Span>();

/**
 * Runs one subscription event's execution in a `live.deliver` span, the child of the span that
 * published its payload (so an ingested event's trace reaches every group it was pushed to).
 * The span stays open on the result until `delivered` (the group's fan-out) ends it.
 */
export async function executeTraced<R extends object>(
  payload: unknown,
  attributes: Attributes,
  execute: () => Promise<R>,
): Promise<R> {
  const publisher = publishedContextOf(payload);
  if (!publisher) return execute();
  const span = tracer.startSpan('live.deliver', { kind: SpanKind.CONSUMER, attributes }, publisher);
  try {
    const result = await context.with(trace.setSpan(publisher, span), execute);
    deliveries.set(result, span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** Ends the `live.deliver` span of a result once `subscribers` were handed it. */
export function delivered(result: object, subscribers: number): void {
  const span = deliveries.get(result);
  if (!span) return;
  span.setAttribute('matchcast.subscribers', subscribers);
  endSpan(span);
}
