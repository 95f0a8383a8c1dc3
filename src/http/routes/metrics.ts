import { createHash } from 'node:crypto';
import type { Express } from 'express';
import type { AppDeps } from '../../app-deps.js';
import { safeEqual } from '../../crypto/safe-equal.js';

export function registerMetrics(http: Express, deps: Pick<AppDeps, 'metrics' | 'config'>): void {
  const token = deps.config.metricsToken;
  http.get('/metrics', async (req, res) => {
    if (token !== undefined && !hasBearer(req.headers.authorization, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('401: send Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}

/** Hashing both sides first makes the compare take the same time whatever the given token's length. */
function hasBearer(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return given !== undefined && safeEqual(sha256(given), sha256(token));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
