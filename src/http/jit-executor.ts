import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import { execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** How many compiled operations are kept (by query hash and operation name). */
const COMPILED_OPERATIONS = 500;

/**
 * Executes HTTP operations with graphql-jit: each document is compiled once into a function
 * and cached, so per request only the resolvers run (graphql-js re-walks the document, with a
 * promise per field, on every request). Plugged in through Apollo Server's gateway hook, which
 * keeps parsing, validation (query limits), plugins and error formatting Apollo's own.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery | false>({ max: COMPILED_OPERATIONS });
  const compile = (request: GatewayGraphQLRequestContext): CompiledQuery | null => {
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let query = compiled.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, request.document, request.operationName ?? undefined);
      // Documents graphql-jit cannot compile still run, on graphql-js.
      query = isCompiledQuery(result) && result;
      compiled.set(key, query);
    }
    return query || null;
  };
  const runOnGraphqlJs = (request: GatewayGraphQLRequestContext) =>
    execute({
      schema,
      document: request.document,
      contextValue: request.context,
      variableValues: request.request.variables,
      operationName: request.operationName,
    });
  const executor = async (request: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> => {
    const query = compile(request);
    if (!query) return runOnGraphqlJs(request);
    const result = await query.query(undefined, request.context, request.request.variables ?? {});
    // No data means the variables were refused: graphql-js words (and Apollo classifies) those.
    if (result.data === undefined) return runOnGraphqlJs(request);
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}

// graphql-jit's errors are frozen look-alikes; plugins (and graphql-armor) expect real ones.
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  // Positions come computed from the compiled document, not from AST nodes.
  (converted as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return converted;
}
