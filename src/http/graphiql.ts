import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';

export interface GraphiqlOptions {
  /** Path of the GraphQL endpoint, relative to where the router is mounted, e.g. '/graphql'. */
  endpoint: string;
  /** Initial contents of the headers editor, e.g. a demo API key: { 'x-api-key': '...' }. */
  defaultHeaders?: Record<string, string>;
  /** Initial editor text (typically several named operations). */
  exampleQuery: string;
}

// Resolved once at start-up so a missing package fails fast, whatever the cwd.
// react, react-dom and graphql-ws have `exports` maps hiding umd/, so go through package.json.
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const versionOf = (name: string): string =>
  (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

const FILES: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphql-ws.js': path.join(packageDir('graphql-ws'), 'umd/graphql-ws.min.js'),
  // Original names kept so the sourceMappingURL comments inside them resolve.
  'graphiql.min.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.js.map': path.join(packageDir('graphiql'), 'graphiql.min.js.map'),
  'graphiql.min.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
  'graphiql.min.css.map': path.join(packageDir('graphiql'), 'graphiql.min.css.map'),
};

// Runs in the browser. Kept out of the HTML so the CSP can stay script-src 'self'; its
// settings come from a JSON data block, which CSP does not treat as script.
const INIT_JS = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var httpUrl = new URL(config.endpoint, window.location.href).href;
  var wsUrl = httpUrl.replace(/^http/, 'ws'); // http: -> ws:, https: -> wss:

  // The server authenticates a socket once, from connectionParams at connect time, so a
  // socket is bound to the headers it was opened with. When the headers editor changes,
  // the next subscription gets a fresh client (graphql-ws clients cannot be re-keyed).
  var runHeaders = config.defaultHeaders || {};
  var client = null;
  var clientKey = null;
  function currentClient() {
    var headers = runHeaders;
    var key = JSON.stringify(headers);
    if (!client || key !== clientKey) {
      if (client) client.dispose();
      clientKey = key;
      client = graphqlWs.createClient({
        url: wsUrl,
        connectionParams: function () { return headers; },
      });
    }
    return client;
  }

  var baseFetcher = GraphiQL.createFetcher({
    url: httpUrl,
    wsClient: {
      subscribe: function (payload, sink) { return currentClient().subscribe(payload, sink); },
    },
  });
  // GraphiQL hands every run the parsed headers-editor JSON; remember it for the socket.
  function fetcher(params, opts) {
    runHeaders = (opts && opts.headers) || {};
    return baseFetcher(params, opts);
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.exampleQuery,
      defaultHeaders: config.defaultHeaders ? JSON.stringify(config.defaultHeaders, null, 2) : undefined,
      // Keep API keys out of localStorage; the default headers are restored on every load.
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: config.defaultHeaders ? 'headers' : undefined,
    }),
  );
})();
`;

// Versioned asset path, so the assets can be cached as immutable and still change on upgrade.
const ASSET_VERSION = createHash('sha256')
  .update(['react', 'react-dom', 'graphql-ws', 'graphiql'].map(versionOf).join('|'))
  .update(INIT_JS)
  .digest('hex')
  .slice(0, 12);
const ASSET_PREFIX = `/graphiql-assets/${ASSET_VERSION}`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL's components inject <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:", // data: also covers the empty favicon
  // 'self' covers ws:/wss: on the same host (CSP level 3).
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function renderPage(assets: string, config: object): string {
  const a = escapeHtml(assets);
  // JSON inside <script>: escaping '<' rules out '</script>' and '<!--' breaking out.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Matchcast GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${a}/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script type="application/json" id="graphiql-config">${json}</script>
<script src="${a}/react.js"></script>
<script src="${a}/react-dom.js"></script>
<script src="${a}/graphql-ws.js"></script>
<script src="${a}/graphiql.min.js"></script>
<script src="${a}/init.js"></script>
</body>
</html>
`;
}

/**
 * Self-hosted GraphiQL. Mount before the GraphQL middleware: a browser navigation (GET
 * preferring text/html) to the endpoint gets the explorer; everything else falls through.
 */
export function graphiqlRouter(options: GraphiqlOptions): express.Router {
  const router = express.Router();
  const config = {
    endpoint: options.endpoint,
    defaultHeaders: options.defaultHeaders,
    exampleQuery: options.exampleQuery,
  };

  router.get(`${ASSET_PREFIX}/:file`, (req: Request, res: Response, next: NextFunction) => {
    const file = req.params.file as string;
    if (file === 'init.js') {
      res.set('Cache-Control', IMMUTABLE).type('text/javascript').send(INIT_JS);
      return;
    }
    const filePath = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
    if (!filePath) return next();
    res.sendFile(filePath, { maxAge: '1y', immutable: true }, (err) => err && next(err));
  });

  router.get(options.endpoint, (req: Request, res: Response, next: NextFunction) => {
    res.vary('Accept'); // same URL, different representations (explorer page vs. JSON)
    // accepts() returns the first listed type on a tie (e.g. */*), so only real preference wins.
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    // Relative to the mount point, so the router also works under a sub-path.
    const page = renderPage(req.baseUrl + ASSET_PREFIX, {
      ...config,
      endpoint: req.baseUrl + options.endpoint,
    });
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' }).type('html').send(page);
  });

  return router;
}
