import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { AppConfig } from '../config';

/** Most tokens an operation may have (HTTP: graphql-armor's parser; WebSocket: `parse(…, { maxTokens })`). */
export const MAX_TOKENS = 2000;

/**
 * Limits that keep one request from exhausting the server: depth, aliases, tokens, directives
 * and a cost estimate (graphql-armor). The same validation rules guard HTTP and WebSocket.
 * Field suggestions ("Did you mean …?") are hidden in production.
 */
export function createArmor(config: AppConfig) {
  return new ApolloArmor({
    maxDepth: { n: 12, ignoreIntrospection: true },
    // allowList: [] counts `__typename` aliases too (graphql-armor skips them by default).
    maxAliases: { n: 15, allowList: [] },
    maxTokens: { n: MAX_TOKENS },
    maxDirectives: { n: 20 },
    costLimit: { maxCost: 20_000 },
    blockFieldSuggestion: { enabled: config.env === 'production' },
  }).protect();
}
