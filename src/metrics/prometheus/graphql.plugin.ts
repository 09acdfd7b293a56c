import type { ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { AppMetrics } from './app-metrics';

/** The operation label of a request that never had a valid operation (parse or validation failed). */
export const INVALID_OPERATION = 'invalid';
export const ANONYMOUS_OPERATION = 'anonymous';

/**
 * Counts and times each HTTP operation once, by operation name and type, with the codes of its
 * errors. Names come from the operation resolved after validation, bounded (see `BoundedLabel`):
 * a document that does not fit the schema is `invalid`, an unnamed one `anonymous`. Per request
 * this is one listener object, a clock read at each end and three increments at most, and one
 * more per deprecated member the document uses (read once per document).
 */
export function graphqlMetricsPlugin(metrics: AppMetrics): ApolloServerPlugin {
  const { operations, operationErrors, operationDuration } = metrics.families;
  return {
    async serverWillStart({ schema }) {
      metrics.useSchema(schema);
    },
    async requestDidStart() {
      const started = performance.now();
      let operation = INVALID_OPERATION;
      let type = 'unknown';
      let codes: Set<string> | null = null;
      return {
        async didResolveOperation(request) {
          if (!request.operation) return;
          type = request.operation.operation;
          operation = request.operationName ? metrics.operationNames.of(request.operationName) : ANONYMOUS_OPERATION;
          // Counted when resolved: what the client asked for, whether or not it then succeeds.
          metrics.deprecatedUsed(request.document, operation);
        },
        async didEncounterErrors({ errors }) {
          codes ??= new Set();
          for (const error of errors) {
            codes.add(metrics.errorCode(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
          }
        },
        async willSendResponse() {
          const labels = { operation, type };
          operations.inc(labels);
          operationDuration.observe(labels, (performance.now() - started) / 1000);
          if (codes) for (const code of codes) operationErrors.inc({ operation, type, code });
        },
      };
    },
  };
}

/**
 * Times the resolver of each root query and mutation field (`Query.matches`): once per root field
 * of an operation, never per nested field, so the label is bounded by the schema. Nested reads
 * go through DataLoaders, timed per batch. Works on graphql-jit too: it calls these resolvers.
 */
export function timeRootFields(schema: GraphQLSchema, metrics: AppMetrics): void {
  const { rootFieldDuration } = metrics.families;
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      const labels = { field: `${type.name}.${field.name}` };
      field.resolve = (source, args, context, info) => {
        const started = performance.now();
        const observe = () => rootFieldDuration.observe(labels, (performance.now() - started) / 1000);
        let result: unknown;
        try {
          result = resolve(source, args, context, info);
        } catch (error) {
          observe();
          throw error;
        }
        if (result instanceof Promise) return result.finally(observe);
        observe();
        return result;
      };
    }
  }
}

/**
 * Counts and times an operation answered outside Apollo's pipeline: a cached answer (see
 * `cachedResponses`), or a query or mutation over WebSocket; `errorCodes` as the plugin counts
 * them, and the deprecated members `document` uses.
 */
export function recordOperation(
  metrics: AppMetrics,
  operationName: string | undefined,
  type: string,
  seconds: number,
  errorCodes: readonly string[] = [],
  document?: DocumentNode,
): void {
  const operation = operationLabel(metrics, operationName);
  if (document) metrics.deprecatedUsed(document, operation);
  const labels = { operation, type };
  metrics.families.operations.inc(labels);
  metrics.families.operationDuration.observe(labels, seconds);
  for (const code of new Set(errorCodes))
    metrics.families.operationErrors.inc({ ...labels, code: metrics.errorCode(code) });
}

/** A subscription started over WebSocket: the deprecated members its document uses. */
export function recordDeprecatedUsage(
  metrics: AppMetrics,
  document: DocumentNode,
  operationName: string | undefined,
): void {
  metrics.deprecatedUsed(document, operationLabel(metrics, operationName));
}

function operationLabel(metrics: AppMetrics, operationName: string | undefined): string {
  return operationName ? metrics.operationNames.of(operationName) : ANONYMOUS_OPERATION;
}
