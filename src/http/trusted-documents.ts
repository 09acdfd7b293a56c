import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import { GraphQLError, parse } from 'graphql';
import type { Principal } from '../auth/principal';
import { ConfigError, type TrustedDocumentsConfig } from '../config';
import { authenticate, type AppDependencies } from '../context';
import { isAppError, NotTrustedDocumentError } from '../errors';
import { AUTHENTICATION } from './cached-responses';
import { sendErrors } from './json-errors';

/** What a client sends that may name a registered document instead of (or beside) its text. */
export interface DocumentRequest {
  query?: unknown;
  /** GraphQL over HTTP's persisted documents: `sha256:<hex>` (GraphQL Code Generator's ids). */
  documentId?: unknown;
  extensions?: unknown;
}

/** Either the text to run, or why the request is refused. */
export type ResolvedDocument = { query: string | undefined } | { error: GraphQLError };

/**
 * Operations registered ahead of time (trusted documents), by the SHA-256 of their text, read at
 * start from the manifests TRUSTED_DOCUMENTS names: GraphQL Code Generator's client preset
 * `persisted-documents.json` (`{ "sha256:<hex>": "<document>" }`) or Apollo's persisted query
 * list (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
 * A document is called by `documentId` (or an automatic persisted query's hash, which is the same
 * SHA-256); where the deployment or the caller's tenant accepts registered documents only, any
 * other text is refused with PERSISTED_QUERY_NOT_IN_LIST.
 */
export class TrustedDocuments {
  private constructor(
    private readonly byHash: ReadonlyMap<string, string>,
    private readonly only: TrustedDocumentsConfig['only'],
  ) {}

  static load(config: TrustedDocumentsConfig): TrustedDocuments {
    const byHash = new Map<string, string>();
    const problems: string[] = [];
    for (const file of config.manifests) {
      try {
        for (const [hash, body] of manifestEntries(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown)) {
          byHash.set(hash, body);
        }
      } catch (error) {
        problems.push(`TRUSTED_DOCUMENTS: ${file}: ${(error as Error).message}`);
      }
    }
    if (problems.length) throw new ConfigError(problems);
    return new TrustedDocuments(byHash, config.only);
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Whether this caller may send only registered documents. */
  requiredFor(principal: Principal | null): boolean {
    if (this.only === 'all') return true;
    return this.only !== 'none' && principal !== null && this.only.includes(principal.tenantSlug);
  }

  /** Whether any caller can be held to registered documents (then HTTP requests are checked). */
  get enforced(): boolean {
    return this.only === 'all' || (this.only !== 'none' && this.only.length > 0);
  }

  /**
   * The text to run: the registered document a `documentId` (or persisted query hash without text)
   * names, else the text sent. `required`: a text that is not registered is refused, and so is a
   * hash that names nothing registered (an automatic persisted query of an arbitrary text).
   */
  resolve(request: DocumentRequest, required: boolean): ResolvedDocument {
    const sent = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
    const id = documentIdOf(request);
    if (sent === undefined && id !== undefined) {
      const registered = this.byHash.get(id);
      if (registered !== undefined) return { query: registered };
      if (required || typeof request.documentId === 'string') return { error: notFound(id) };
      // An automatic persisted query: Apollo's cache may know it.
      return { query: undefined };
    }
    if (required && (sent === undefined || !this.byHash.has(sha256(sent)))) {
      return { error: new NotTrustedDocumentError() };
    }
    return { query: sent };
  }
}

/**
 * Express middleware: a `documentId` (or persisted query hash) replaced by its registered text
 * before Apollo, and, where registered documents only are accepted, any other text refused.
 * Runs before the response cache, so a cached answer is held to the same rule.
 */
export function trustedDocumentsOverHttp(deps: AppDependencies, documents: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    const body = (req.method === 'POST' ? req.body : req.query) as DocumentRequest | undefined;
    if (!body || typeof body !== 'object') return next();
    const apply = (principal: Principal | null) => {
      const resolved = documents.resolve(withParsedExtensions(body), documents.requiredFor(principal));
      if ('error' in resolved) return sendErrors(req, res, [resolved.error.toJSON()]);
      if (req.method === 'POST' && resolved.query !== undefined) (body as { query?: string }).query = resolved.query;
      next();
    };
    // The tenant decides only when some tenants are held to registered documents and others not.
    if (!documents.enforced || documents.requiredFor(null)) return apply(null);
    authenticate(deps, req.headers).then(
      (authentication) => {
        // Apollo's context and the response cache take this rather than checking the key again.
        res.locals[AUTHENTICATION] = authentication;
        apply(authentication.principal);
      },
      // e.g. the database away: Apollo's path answers it as it should.
      (error: unknown) => (isAppError(error) ? next() : next(error)),
    );
  };
}

// GET requests carry `extensions` as JSON text.
function withParsedExtensions(request: DocumentRequest): DocumentRequest {
  if (typeof request.extensions !== 'string') return request;
  try {
    return { ...request, extensions: JSON.parse(request.extensions) as unknown };
  } catch {
    return request;
  }
}

function documentIdOf(request: DocumentRequest): string | undefined {
  if (typeof request.documentId === 'string') return hashOf(request.documentId);
  const persisted = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : undefined;
}

// `sha256:<hex>` (GraphQL over HTTP) or the bare hex digest (Apollo's lists, automatic persisted queries).
function hashOf(id: string): string {
  return (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id).toLowerCase();
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function notFound(id: string): GraphQLError {
  return new GraphQLError(`No registered document has the id sha256:${id}`, {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
  });
}

// [hash, body] of each document of a manifest, each checked: its id is its text's SHA-256 and it parses.
function manifestEntries(manifest: unknown): [string, string][] {
  const entries = apolloOperations(manifest) ?? codegenDocuments(manifest);
  if (!entries) {
    throw new Error(
      'not a trusted-documents manifest: expected GraphQL Code Generator\'s persisted-documents.json ({ "sha256:<hex>": "<document>" }) or an Apollo persisted query list',
    );
  }
  return entries.map(([id, body]) => {
    const hash = hashOf(id);
    if (hash !== sha256(body)) throw new Error(`document ${id}: its id is not the SHA-256 of its text`);
    try {
      parse(body);
    } catch (error) {
      throw new Error(`document ${id} does not parse: ${(error as Error).message}`);
    }
    return [hash, body];
  });
}

function apolloOperations(manifest: unknown): [string, string][] | null {
  const list = manifest as { format?: unknown; operations?: { id?: unknown; body?: unknown }[] } | null;
  if (list?.format !== 'apollo-persisted-query-manifest' || !Array.isArray(list.operations)) return null;
  return list.operations.map((operation, index) => {
    if (typeof operation.id !== 'string' || typeof operation.body !== 'string') {
      throw new Error(`operations[${index}]: needs a string id and body`);
    }
    return [operation.id, operation.body];
  });
}

function codegenDocuments(manifest: unknown): [string, string][] | null {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return null;
  const entries = Object.entries(manifest);
  return entries.every(([, body]) => typeof body === 'string') ? (entries as [string, string][]) : null;
}
