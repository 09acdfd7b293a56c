import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import type { AppContext } from '../context';
import { UnauthenticatedError } from '../errors';

/** Schema introspection (what GraphiQL and codegen use) is for authenticated callers only. */
export const introspectionForMembersOnly: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, contextValue }) {
        if (!contextValue.principal && introspects(document)) {
          throw new UnauthenticatedError('Introspection needs an API key (x-api-key header)');
        }
      },
    };
  },
};

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
