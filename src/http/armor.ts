import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext } from 'graphql';
import { LimitExceededError } from '../errors';
import { rememberOperationCost } from '../quotas/operation-cost';
import { exceptStandardIntrospection } from './introspection';

/** Most tokens an operation may have; parsing stops there (HTTP and WebSocket alike). */
export const MAX_TOKENS = 2000;

/** Longest string an argument, a variable or a string inside one may be, in characters. */
export const MAX_STRING_LENGTH = 1000;

/** Deepest nesting of objects and lists in an operation's variables (inputs here nest 3 deep). */
export const MAX_VARIABLE_DEPTH = 16;

/** Parser options of every operation: the token limit applies while parsing. */
export const PARSE_OPTIONS: ParseOptions = { maxTokens: MAX_TOKENS };

const LIMITS = { depth: 12, aliases: 15, directives: 20, cost: 20_000 };

/**
 * Limits that keep one request from exhausting the server, as validation rules (graphql-armor):
 * depth, aliases, directives and a cost estimate. The same rules guard HTTP and WebSocket, and
 * each refusal is a LIMIT_EXCEEDED error with the limit in `extensions.limit`. The token limit is
 * the parser's (`PARSE_OPTIONS`), not graphql-armor's, whose plugin parses every document a
 * second time and fails with a 500. Introspection passes the limits too, except the standard
 * documents of GraphiQL and codegen (`exceptStandardIntrospection`).
 */
export function createArmor() {
  const { plugins, validationRules } = new ApolloArmor({
    // ignoreIntrospection would let any `__schema` selection through, however deep or wide.
    maxDepth: { n: LIMITS.depth, ignoreIntrospection: false, ...reportedAsLimit(LIMITS.depth) },
    // allowList: [] counts `__typename` aliases too (graphql-armor skips them by default).
    maxAliases: { n: LIMITS.aliases, allowList: [], ...reportedAsLimit(LIMITS.aliases) },
    maxDirectives: { n: LIMITS.directives, ...reportedAsLimit(LIMITS.directives) },
    // onAccept: the estimate is kept for the plan's cost-per-minute quota (src/quotas).
    costLimit: {
      maxCost: LIMITS.cost,
      ignoreIntrospection: false,
      ...reportedAsLimit(LIMITS.cost),
      onAccept: [rememberOperationCost],
    },
    maxTokens: { enabled: false },
    // Hidden from callers without a key only (introspection.ts): members may introspect anyway.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { plugins, validationRules: exceptStandardIntrospection(validationRules) };
}

// graphql-armor words its refusals as syntax errors ("Syntax Error: Query depth limit of 12
// exceeded, found 13."); what is wrong is the size of a valid document.
function reportedAsLimit(limit: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const message = error.message.replace(/^Syntax Error: /, '');
        // Apollo re-codes validation errors; the error formatter restores the original's code.
        context?.reportError(new GraphQLError(message, { originalError: new LimitExceededError(message, limit) }));
      },
    ],
  };
}
