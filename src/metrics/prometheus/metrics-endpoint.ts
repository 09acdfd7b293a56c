import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { AppMetrics } from './app-metrics';

export const METRICS_PATH = '/metrics';

/** `GET /metrics`: the exposition text; with a token, 401 unless sent `Authorization: Bearer <token>`. */
export function metricsHandler(metrics: AppMetrics, token?: string): RequestHandler {
  const authorised = tokenCheck(token);
  return (req, res, next) => {
    if (!authorised(req.headers.authorization)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"').status(401).json({ error: 'a metrics token is required' });
      return;
    }
    metrics.scrape().then((text) => {
      res.set('Content-Type', metrics.contentType).send(text);
    }, next);
  };
}

// Hashes compared in constant time: the token's length and prefix leak nothing.
function tokenCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (!token) return () => true;
  const expected = createHash('sha256').update(`Bearer ${token}`).digest();
  return (header) => !!header && timingSafeEqual(createHash('sha256').update(header).digest(), expected);
}

/** `/metrics` alone on its own port (METRICS_PORT), e.g. reachable by Prometheus only. */
export async function startMetricsServer(
  metrics: AppMetrics,
  options: { host: string; port: number; token?: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.get(METRICS_PATH, metricsHandler(metrics, options.token));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found: only GET /metrics is served here' });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
