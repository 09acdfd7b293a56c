import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Query fields whose answer is platform data (matches, teams, predictions, metrics): the same
 * for every authenticated member of every tenant, so one response can serve them all.
 */
export const SHARED_QUERY_FIELDS = new Set([
  'competitions',
  'competition',
  'teams',
  'team',
  'matches',
  'match',
  'node',
  'modelMetrics',
  'models',
]);

/** Query fields of a tenant's own data: never answered from a shared response. */
export const PRIVATE_QUERY_FIELDS = new Set([
  'viewer',
  'watchlist',
  'alertRules',
  'alertEvents',
  'customModels',
  // Operators' only: never in a shared answer.
  'ingestSources',
]);

/** Object types made of platform data only. A type not listed here is never shared. */
export const SHARED_TYPES = new Set([
  'Competition',
  'Season',
  'Team',
  'TeamConnection',
  'TeamEdge',
  'Match',
  'MatchConnection',
  'MatchEdge',
  'MatchEvent',
  // liveFeed's updates: a match, its event, prediction or prices (the watchlist filter only
  // chooses which; feeds are never grouped across tenants, see http/websocket.ts).
  'MatchEventRecorded',
  'MatchEventCorrected',
  'MatchChanged',
  'PricesMoved',
  'Odds',
  'Prediction',
  'PageInfo',
  'PredictionMarkets',
  'OverUnderLine',
  'BothTeamsToScore',
  'HandicapLine',
  'ScoreProbability',
  'ModelMetrics',
  'CalibrationBin',
  'PredictionModel',
  'BacktestMetrics',
]);

/**
 * Object types of a tenant's own data, and the answers of writes: never shared. Every object
 * type of the schema is in exactly one of SHARED_TYPES and this (a schema test fails on a new
 * type in neither), so a new type is classified before it can reach a shared answer.
 */
export const PRIVATE_TYPES = new Set([
  'AlertEvent',
  'AlertEventConnection',
  'AlertEventEdge',
  'AlertRule',
  'AlertValues',
  'ApiKey',
  'ApiKeyConnection',
  'ApiKeyEdge',
  'AuditEntry',
  'AuditEntryConnection',
  'AuditEntryEdge',
  'CustomModel',
  'Member',
  'MemberConnection',
  'MemberEdge',
  'Plan',
  'Tenant',
  'UsageDay',
  'User',
  'Viewer',
  'WatchlistItem',
  // Answers of mutations: never cached, listed so that every type is classified.
  'CreateApiKeyPayload',
  'CreateTenantPayload',
  'RecordMatchEventPayload',
  'IngestMatchEventsPayload',
  'IngestedMatchEvent',
  'IngestOddsPayload',
  'IngestedOdds',
  'IngestError',
  'IngestSource',
  'IngestSourceSecretPayload',
  'RefreshPredictionsPayload',
  'RemoveMemberPayload',
  'SetTenantPlanPayload',
]);

/**
 * Whether an operation reads shared platform data only: a query whose every selected field
 * belongs to, and returns, shared types (an interface or union counts when each of its
 * possible types does).
 * Anything else, introspection included, is answered per request.
 */
export function readsSharedDataOnly(schema: GraphQLSchema, document: DocumentNode, operationName?: string): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || operation.operation !== 'query') return false;
  // The operation that runs and every fragment (a fragment it does not use only makes this stricter).
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const typeInfo = new TypeInfo(schema);
  let shared = true;
  visit(
    { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] },
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const name = field.name.value;
        if (name === '__typename') return;
        const parent = typeInfo.getParentType();
        const allowed =
          parent === schema.getQueryType() ? SHARED_QUERY_FIELDS.has(name) : !!parent && isShared(schema, parent);
        // What it may return counts too: `node(id)` could otherwise answer for a private object.
        const returned = typeInfo.getType();
        const named = returned ? getNamedType(returned) : undefined;
        if (!allowed || (named && isCompositeType(named) && !isShared(schema, named))) shared = false;
      },
    }),
  );
  return shared;
}

function isShared(schema: GraphQLSchema, type: GraphQLNamedType): boolean {
  if (isObjectType(type)) return SHARED_TYPES.has(type.name);
  if (isInterfaceType(type) || isUnionType(type)) {
    return schema.getPossibleTypes(type).every((t) => SHARED_TYPES.has(t.name));
  }
  return false;
}

/**
 * Fields of shared types whose answer also depends on the caller's tenant: `Match.predictions`
 * includes the tenant's custom models' predictions. A shared response selecting one is cached
 * per tenant.
 */
export const PER_TENANT_FIELDS = new Set(['Match.predictions']);

/** Whether the document selects a field whose answer depends on the caller's tenant. */
export function readsPerTenantFields(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let perTenant = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const parent = typeInfo.getParentType();
        if (parent && PER_TENANT_FIELDS.has(`${parent.name}.${field.name.value}`)) perTenant = true;
      },
    }),
  );
  return perTenant;
}
