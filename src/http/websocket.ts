import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, createContext, type AppDependencies, type Authentication } from '../context';
import { createErrorFormatter, UnauthenticatedError } from '../errors';

type ConnectionState = { auth?: Authentication };

/**
 * graphql-ws on the same server and path as HTTP. The API key (connection params
 * `x-api-key` or `authorization`) is checked at connect time: a missing or bad key closes
 * the socket with 4403 before any operation runs.
 */
export function attachGraphqlWs(options: {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  deps: AppDependencies;
}): { close(): Promise<void> } {
  const { deps } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  const formatError = createErrorFormatter({ logger: deps.logger, maskUnexpected: deps.config.env === 'production' });
  const cleanup = useServer<Record<string, unknown>, ConnectionState>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const auth = await authenticate(deps, ctx.connectionParams ?? {});
        if (!auth.principal) return false;
        ctx.extra.auth = auth;
        return true;
      },
      // Again at each subscribe: a key revoked since the socket opened must not start a feed.
      onSubscribe: async (ctx) => {
        const auth = await authenticate(deps, ctx.connectionParams ?? {});
        ctx.extra.auth = auth;
        if (!auth.principal) return [new UnauthenticatedError(auth.authFailure ?? undefined)];
      },
      context: (ctx) => createContext(deps, ctx.extra.auth ?? { principal: null, authFailure: null }),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) => ({
        ...result,
        errors: result.errors?.map((error) => formatError(error.toJSON(), error)),
      }),
    },
    wsServer,
  );
  return {
    close: async () => {
      for (const client of wsServer.clients) client.close(1001, 'server shutting down');
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
