import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { ValidationRule } from 'graphql';
import { LRUCache } from 'lru-cache';

export type PreparedDocument = { document: DocumentNode; errors?: undefined } | { errors: GraphQLError[] };

export interface DocumentLimits {
  schema: GraphQLSchema;
  /** The query limits of HTTP (graphql-armor's rules: depth, aliases, directives, cost). */
  validationRules: readonly ValidationRule[];
  /** Most tokens a document may have; parsing stops there (as HTTP's parser does). */
  maxTokens: number;
}

// Query text kept in the cache, in characters (the parsed documents take about ten times more):
// thousands of typical operations, a few dozen at the message size limit.
const CACHE_MAX_CHARACTERS = 1024 * 1024;

/**
 * Parses and validates operations sent over WebSocket under the same limits as HTTP, with
 * Apollo's error codes (the error formatter then gives both paths the same codes, LIMIT_EXCEEDED
 * for every limit), once per distinct query text (10,000 subscribers of one feed parse it once).
 * The token limit applies while parsing, so a huge document costs no more than its first tokens.
 */
export function createDocumentPreparer(limits: DocumentLimits): (query: string) => PreparedDocument {
  const rules = [...specifiedRules, ...limits.validationRules];
  const cache = new LRUCache<string, PreparedDocument>({
    maxSize: CACHE_MAX_CHARACTERS,
    sizeCalculation: (_prepared, query) => Math.max(1, query.length),
  });
  return (query) => {
    let prepared = cache.get(query);
    if (!prepared) {
      prepared = prepare(query, limits, rules);
      if (query.length <= CACHE_MAX_CHARACTERS / 16) cache.set(query, prepared);
    }
    return prepared;
  };
}

function prepare(query: string, limits: DocumentLimits, rules: readonly ValidationRule[]): PreparedDocument {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    return { errors: [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')] };
  }
  const errors = validate(limits.schema, document, rules);
  if (errors.length === 0) return { document };
  return { errors: errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')) };
}

// As Apollo Server codes parse and validation errors on HTTP.
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
