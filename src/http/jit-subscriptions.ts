import {
  createSourceEventStream,
  getOperationAST,
  subscribe,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { executeTraced } from '../tracing/pubsub-tracing';
import { tracingActive } from '../tracing/spans';
import { asGraphqlJsError } from './jit-executor';

/** graphql-js `subscribe()`'s contract: a stream of results, or the errors that kept it from starting. */
export type Subscribe = (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>;

/**
 * Subscriptions whose every event runs as a graphql-jit compiled query. The subscribe phase
 * stays graphql-js's (argument values, errors, the source stream); per event, graphql-js would
 * coerce the operation's variables again and re-walk the document with a promise per field,
 * which for a feed costs more than its resolvers. Documents come parsed once per text (see
 * websocket-documents.ts), so a compilation is kept per document object; one graphql-jit
 * cannot compile runs on graphql-js throughout.
 */
export function jitSubscriber(schema: GraphQLSchema): Subscribe {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const compiledFor = (document: DocumentNode, operationName: string | null | undefined) => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const name = operationName ?? '';
    if (!byName.has(name)) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      byName.set(name, isCompiledQuery(result) ? result : null);
    }
    return byName.get(name)!;
  };
  return async (args) => {
    const query = compiledFor(args.document, args.operationName);
    if (!query) return subscribe(args);
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const variables = args.variableValues ?? {};
    const execute = async (payload: unknown): Promise<ExecutionResult> => {
      const result = await query.query(payload, args.contextValue, variables);
      return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
    };
    if (!tracingActive()) return mapEvents(source, execute);
    const operation = getOperationAST(args.document, args.operationName);
    const attributes = { 'graphql.operation.name': operation?.name?.value ?? '' };
    return mapEvents(source, (payload) => executeTraced(payload, attributes, () => execute(payload)));
  };
}

// As graphql-js maps its source stream: `return` reaches the source at once, even while an
// event is awaited (an async generator would wait for that event first).
function mapEvents(
  source: AsyncIterable<unknown>,
  run: (payload: unknown) => Promise<ExecutionResult>,
): AsyncGenerator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const mapped = async (step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> => {
    if (step.done) return { done: true, value: undefined };
    try {
      return { done: false, value: await run(step.value) };
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
  };
  const generator: AsyncGenerator<ExecutionResult> = {
    next: async () => mapped(await iterator.next()),
    return: async () => {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      if (iterator.throw) return mapped(await iterator.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]: () => generator,
  };
  return generator;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
