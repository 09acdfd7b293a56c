import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { TracingConfig } from '../config';
import { setTracingActive } from './spans';

/** What `startTracing` started; `shutdown()` sends the spans still buffered. */
export interface Tracing {
  shutdown(): Promise<void>;
}

// Polled by probes and scraped by Prometheus every few seconds: traces of them would be noise.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts OpenTelemetry tracing: a tracer provider that samples and exports as `config` says,
 * W3C `traceparent` propagation, an AsyncLocalStorage context, and the instrumentations of
 * incoming HTTP requests, PostgreSQL statements (named by their prepared statement, parameter
 * values never recorded) and Redis commands (keys only, values never recorded). Must run before
 * the server's modules load (src/main.ts): the instrumentations patch `pg`, `ioredis`,
 * `@redis/client` and `http` as they are first required. `exporter` (tests) replaces the
 * configured one, each span handed to it as it ends.
 *
 * Everything it needs is required here, so a server without tracing never loads the SDK.
 */
export async function startTracing(config: TracingConfig, options: { exporter?: SpanExporter } = {}): Promise<Tracing> {
  const sdk = await import('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = await import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } = await import('@opentelemetry/instrumentation-ioredis');
  const { RedisInstrumentation } = await import('@opentelemetry/instrumentation-redis');

  const exporter = options.exporter ?? (await configuredExporter(config));
  const root =
    config.sampler.ratio >= 1
      ? new sdk.AlwaysOnSampler()
      : config.sampler.ratio <= 0
        ? new sdk.AlwaysOffSampler()
        : new sdk.TraceIdRatioBasedSampler(config.sampler.ratio);
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: config.sampler.parentBased ? new sdk.ParentBasedSampler({ root }) : root,
    spanProcessors: [
      options.exporter ? new sdk.SimpleSpanProcessor({ exporter }) : new sdk.BatchSpanProcessor({ exporter }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
        // The server calls nobody over HTTP but the trace exporter, which must not trace itself.
        disableOutgoingRequestInstrumentation: true,
      }),
      // Outside a request or a traced task (pool upkeep, metrics collectors, sweeps): no trace.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new RedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  // Loaded through require() now, so the hooks patch them (under vitest, ESM imports bypass them).
  const load = createRequire(__filename);
  for (const name of ['node:http', 'pg', 'ioredis', '@redis/client']) load(name);
  setTracingActive(true);
  return {
    shutdown: async () => {
      setTracingActive(false);
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

async function configuredExporter(config: TracingConfig): Promise<SpanExporter> {
  if (config.exporter === 'console') return new (await import('@opentelemetry/sdk-trace')).ConsoleSpanExporter();
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url: config.endpoint });
}
