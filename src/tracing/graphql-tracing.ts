import type { ApolloServerPlugin } from '@apollo/server';
import { context, trace, type Context } from '@opentelemetry/api';
import {
  defaultFieldResolver,
  isObjectType,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { endSpan, recording, tracer } from './spans';

// On an operation's context value: the execute span's context, and each traced field's by path.
const EXECUTION = Symbol('traced execution');

interface TracedExecution {
  root: Context;
  byPath: Map<string, Context>;
}

type WithExecution = { [EXECUTION]?: TracedExecution };

/**
 * Spans for an HTTP operation's phases: `graphql.parse`, `graphql.validate`, and the execution,
 * named as OpenTelemetry's GraphQL conventions say (`query MatchPage`). Installed only when
 * tracing is on; a cached answer skips Apollo and shows as its HTTP span alone.
 */
export function graphqlTracingPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          const span = tracer.startSpan('graphql.parse');
          return async (error) => endSpan(span, error);
        },
        async validationDidStart() {
          const span = tracer.startSpan('graphql.validate');
          return async (errors) => endSpan(span, errors?.[0]);
        },
        async didResolveOperation({ operation, operationName }) {
          // On the HTTP span: a trace list shows which operation each request ran.
          if (operation) trace.getActiveSpan()?.setAttributes(operationAttributes(operation, operationName));
        },
        async executionDidStart({ operation, operationName, contextValue }) {
          const span = tracer.startSpan(`${operation.operation} ${operationName ?? 'anonymous'}`, {
            attributes: operationAttributes(operation, operationName),
          });
          (contextValue as WithExecution)[EXECUTION] = {
            root: trace.setSpan(context.active(), span),
            byPath: new Map(),
          };
          return { executionDidEnd: async (error) => endSpan(span, error) };
        },
      };
    },
  };
}

function operationAttributes(operation: OperationDefinitionNode, operationName: string | null | undefined) {
  return { 'graphql.operation.type': operation.operation, 'graphql.operation.name': operationName ?? '' };
}

/**
 * A span for each resolver that does I/O: the root fields of queries and mutations, and every
 * `@FieldResolver` (each reads a relation: a match's teams, its predictions). Plain fields read
 * from their parent get none, so a page of 100 matches is not thousands of spans. Each span is
 * the child of its nearest traced ancestor field (of the execution's span at the root), and the
 * active span while its resolver runs: the loads and SQL it causes are its children.
 */
export function traceResolvers(schema: GraphQLSchema): void {
  for (const [typeName, fieldName] of ioFields(schema)) {
    const type = schema.getType(typeName);
    const target = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!target) continue;
    target.resolve = tracedResolver(`${typeName}.${fieldName}`, target.resolve ?? defaultFieldResolver);
  }
}

function tracedResolver(
  name: string,
  resolve: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, contextValue, info) => {
    const execution = (contextValue as WithExecution | null)?.[EXECUTION];
    // An operation not sampled (most, at a ratio) pays one lookup per field, no span.
    if (!recording(execution ? execution.root : context.active())) return resolve(source, args, contextValue, info);
    const path = responsePathAsArray(info.path);
    const parent = execution ? nearestTraced(execution, path) : context.active();
    const key = path.join('.');
    const span = tracer.startSpan(name, { attributes: { 'graphql.field.path': key } }, parent);
    const active = trace.setSpan(parent, span);
    execution?.byPath.set(key, active);
    let result: unknown;
    try {
      result = context.with(active, () => resolve(source, args, contextValue, info));
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (!(result instanceof Promise)) {
      endSpan(span);
      return result;
    }
    return result.then(
      (value: unknown) => {
        endSpan(span);
        return value;
      },
      (error: unknown) => {
        endSpan(span, error);
        throw error;
      },
    );
  };
}

function nearestTraced(execution: TracedExecution, path: readonly (string | number)[]): Context {
  for (let end = path.length - 1; end > 0; end--) {
    const found = execution.byPath.get(path.slice(0, end).join('.'));
    if (found) return found;
  }
  return execution.root;
}

// [type, field] of each root query or mutation field and each @FieldResolver.
function ioFields(schema: GraphQLSchema): [string, string][] {
  const fields: [string, string][] = [];
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const name of Object.keys(type?.getFields() ?? {})) fields.push([type!.name, name]);
  }
  const storage = getMetadataStorage();
  for (const resolver of storage.fieldResolvers) {
    const objectClass = resolver.resolverClassMetadata?.getObjectType();
    const objectType = storage.objectTypes.find((type) => type.target === objectClass);
    if (objectType) fields.push([objectType.name, resolver.schemaName]);
  }
  return fields;
}
