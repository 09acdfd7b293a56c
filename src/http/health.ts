import { Router } from 'express';
import type { Orm } from '../db/orm';

/** `/healthz`: the process is up. `/readyz`: it can reach its database. */
export function healthRouter(orm: Orm): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await orm.isConnected();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
