import type { Server } from 'node:http';
import {
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, createContext, type AppDependencies } from '../context';
import { createErrorFormatter, UnauthenticatedError } from '../errors';

type ConnectionState = Record<string, never>;

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
  /** Extra validation rules (query limits), as on HTTP. */
  validationRules: ValidationRule[];
}): { close(): Promise<void> } {
  const { deps } = options;
  // 1 MiB per message, as on HTTP: the ws default (100 MiB) lets anyone make us buffer a lot.
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: 1024 * 1024 });
  const formatError = createErrorFormatter({ logger: deps.logger, maskUnexpected: deps.config.env !== 'development' });
  const cleanup = useServer<Record<string, unknown>, ConnectionState>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const auth = await authenticate(deps, ctx.connectionParams ?? {});
        return auth.principal !== null;
      },
      // Again at each subscribe: a key revoked since the socket opened must not start a feed.
      onSubscribe: async (ctx, _id, payload) => {
        const auth = await authenticate(deps, ctx.connectionParams ?? {});
        if (!auth.principal) return [new UnauthenticatedError(auth.authFailure ?? undefined)];
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(options.schema, document, [...specifiedRules, ...options.validationRules]);
        if (errors.length > 0) return errors;
        return {
          schema: options.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext(deps, auth),
        };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) => ({
        ...result,
        errors: result.errors?.map((error) => formatError(error.toJSON(), error)),
      }),
    },
    wsServer,
  );
  let closing: Promise<void> | undefined;
  return {
    // Idempotent: both Apollo's drain and app.close() call it.
    close: () =>
      (closing ??= (async () => {
        for (const client of wsServer.clients) client.close(1001, 'server shutting down');
        await cleanup.dispose();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      })()),
  };
}
