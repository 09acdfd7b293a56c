import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import { execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { readsPerTenantFields, readsSharedDataOnly } from '../auth/shared-data';
import { responseKey, type ResponseCache } from '../cache/response-cache';
import type { AppContext } from '../context';

/** How many planned operations are kept (by query hash and operation name). */
const PLANNED_OPERATIONS = 500;

/** What is worked out once per operation. */
interface OperationPlan {
  /** null when graphql-jit cannot compile the document: it then runs on graphql-js. */
  compiled: CompiledQuery | null;
  /** Reads platform data only, so one response may serve every member. */
  shared: boolean;
  /** Selects a field that also depends on the caller's tenant: its shared responses are per tenant. */
  perTenant: boolean;
}

/**
 * Executes HTTP operations with graphql-jit: each document is compiled once into a function
 * and cached, so per request only the resolvers run (graphql-js re-walks the document, with a
 * promise per field, on every request). Plugged in through Apollo Server's gateway hook, which
 * keeps parsing, validation (query limits), plugins and error formatting Apollo's own. With a
 * response cache, shared-data queries of authenticated callers are answered from it.
 */
export function jitGateway(schema: GraphQLSchema, responseCache?: ResponseCache): GatewayInterface {
  const plans = new LRUCache<string, OperationPlan>({ max: PLANNED_OPERATIONS });
  const planFor = (request: GatewayGraphQLRequestContext): OperationPlan => {
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let plan = plans.get(key);
    if (!plan) {
      const operationName = request.operationName ?? undefined;
      const compiled = compileQuery(schema, request.document, operationName);
      plan = {
        compiled: isCompiledQuery(compiled) ? compiled : null,
        shared: readsSharedDataOnly(schema, request.document, operationName),
        perTenant: readsPerTenantFields(schema, request.document),
      };
      plans.set(key, plan);
      if (plan.shared && request.operation) {
        // Under the name the client sent (if any), as `cachedResponses` will look it up.
        responseCache?.rememberSharedQuery(request.request.operationName, request.source, {
          document: request.document,
          operation: request.operation,
          perTenant: plan.perTenant,
        });
      }
    }
    return plan;
  };
  const executor = (request: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> => {
    const plan = planFor(request);
    const context = request.context as AppContext;
    // Shared data needs a member (every shared root field is ruled isMember): others run the shield.
    if (responseCache && plan.shared && context.principal) {
      const tenant = plan.perTenant ? context.principal.tenantId : null;
      const key = responseKey(tenant, request.request.operationName, request.request.variables, request.source);
      return responseCache.getOrExecute(key, () => run(schema, plan, request));
    }
    return run(schema, plan, request);
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

async function run(
  schema: GraphQLSchema,
  plan: OperationPlan,
  request: GatewayGraphQLRequestContext,
): Promise<GatewayExecutionResult> {
  if (!plan.compiled) return runOnGraphqlJs(schema, request);
  const result = await plan.compiled.query(undefined, request.context, request.request.variables ?? {});
  // No data means the variables were refused: graphql-js words (and Apollo classifies) those.
  if (result.data === undefined) return runOnGraphqlJs(schema, request);
  return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
}

async function runOnGraphqlJs(schema: GraphQLSchema, request: GatewayGraphQLRequestContext) {
  return execute({
    schema,
    document: request.document,
    contextValue: request.context,
    variableValues: request.request.variables,
    operationName: request.operationName,
  });
}

// graphql-jit's errors are frozen look-alikes; plugins (and graphql-armor) expect real ones.
export function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  // Positions come computed from the compiled document, not from AST nodes.
  (converted as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return converted;
}
