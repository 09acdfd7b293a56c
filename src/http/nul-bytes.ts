import type { ApolloServerPlugin } from '@apollo/server';
import { rejectNulBytes } from '../common/reject-nul-bytes';

/** Refuses NUL characters in arguments and variables before execution (HTTP 400). */
export const rejectNulBytesOverHttp: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        try {
          rejectNulBytes(document, request.variables);
        } catch (error) {
          (error as { extensions: Record<string, unknown> }).extensions.http = { status: 400 };
          throw error;
        }
      },
    };
  },
};
