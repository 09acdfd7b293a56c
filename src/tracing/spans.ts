import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

export { SpanKind };

/** Every span the server makes itself (HTTP, SQL and Redis spans come from their instrumentations). */
export const tracer = trace.getTracer('matchcast');

let active = false;

/**
 * Whether tracing was started (`startTracing`). Code on hot paths asks before it makes a span,
 * wraps a function or reads the context: with tracing off (the default) none of it runs.
 */
export function tracingActive(): boolean {
  return active;
}

export function setTracingActive(on: boolean): void {
  active = on;
}

/** The span's error status and exception event, then its end. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** Whether `parent` holds a span being recorded (sampled): only then are children worth making. */
export function recording(parent: Context): boolean {
  return trace.getSpan(parent)?.isRecording() === true;
}

/**
 * `work` inside a span named `name`, a child of the active one (or of `parent`): SQL and Redis
 * calls made in it are its children. Without tracing, just `work()`.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span?: Span) => Promise<T>,
  options: { parent?: Context; kind?: SpanKind } = {},
): Promise<T> {
  if (!active) return work();
  const parent = options.parent ?? context.active();
  if (!recording(parent)) return work();
  return tracer.startActiveSpan(name, { attributes, kind: options.kind }, parent, async (span) => {
    try {
      const result = await work(span);
      endSpan(span);
      return result;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  });
}

/** `inSpan` for synchronous work (a model's computation). */
export function inSpanSync<T>(name: string, attributes: Attributes, work: () => T): T {
  if (!active || !recording(context.active())) return work();
  return tracer.startActiveSpan(name, { attributes }, (span) => {
    try {
      const result = work();
      endSpan(span);
      return result;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  });
}

/** The active span's trace id, for a log line or an error; undefined without tracing. */
export function activeTraceId(): string | undefined {
  if (!active) return undefined;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** What pino adds to each line logged inside a span (see logger.ts). */
export function traceFieldsOfActiveSpan(): Record<string, string> {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/**
 * Express middleware (tracing on): a request whose trace is not sampled goes on outside any span,
 * so the SQL and Redis instrumentations (which need a parent) and the server's own spans skip it
 * at once instead of building spans nobody records.
 */
export function skipUnsampled(_req: unknown, res: { locals: Record<string, unknown> }, next: () => void): void {
  if (recording(context.active())) return next();
  // Its errors still name the trace (a caller's own, say), though nothing of it is recorded here.
  res.locals[UNSAMPLED_TRACE_ID] = activeTraceId();
  context.with(ROOT_CONTEXT, next);
}

/** Where `skipUnsampled` leaves the trace id of a request it served outside any span. */
export const UNSAMPLED_TRACE_ID = 'unsampledTraceId';
