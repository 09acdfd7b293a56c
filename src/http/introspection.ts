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

function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}
