import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { AppConfig } from '../config';

/**
 * Limits that keep one request from exhausting the server: depth, aliases, tokens, directives
 * and a cost estimate (graphql-armor). The same validation rules guard HTTP and WebSocket.
 * Field suggestions ("Did you mean …?") are hidden in production.
 */
export function createArmor(config: AppConfig) {
  return new ApolloArmor({
    maxDepth: { n: 12, ignoreIntrospection: true },
    maxAliases: { n: 15 },
    maxTokens: { n: 2000 },
    maxDirectives: { n: 20 },
    costLimit: { maxCost: 20_000 },
    blockFieldSuggestion: { enabled: config.env === 'production' },
  }).protect();
}
