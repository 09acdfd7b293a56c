import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import type { AppContext } from '../context';
import { UnauthenticatedError } from '../errors';

/**
 * The schema is for authenticated callers only: introspection (what GraphiQL and codegen use)
 * answers others 401 UNAUTHENTICATED, and their errors carry no "Did you mean …?" hints, which
 * would reveal field, argument, type and enum value names one guess at a time. (WebSocket callers
 * always have a key: a socket without one is closed at connect.)
 */
export const introspectionForMembersOnly: ApolloServerPlugin<AppContext> = {
  async requestDidStart({ contextValue }) {
    if (contextValue.principal) return;
    return {
      async didResolveOperation({ document }) {
        if (introspects(document)) {
          throw new UnauthenticatedError('Introspection needs an API key (x-api-key header)');
        }
      },
      async didEncounterErrors({ errors }) {
        for (const error of errors) error.message = withoutSuggestions(error.message);
      },
    };
  },
};

/** A message without graphql-js's hints ("Did you mean "code"?", "Did you mean the enum value "LIVE"?"). */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

// Per parsed document: Apollo hands the same one for the same query text.
const introspection = new WeakMap<DocumentNode, boolean>();

function introspects(document: DocumentNode): boolean {
  let known = introspection.get(document);
  if (known === undefined) {
    known = selectsSchemaFields(document);
    introspection.set(document, known);
  }
  return known;
}

function selectsSchemaFields(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}
