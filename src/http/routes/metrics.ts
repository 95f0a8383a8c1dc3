import type { Express } from 'express';
import type { AppDeps } from '../../app-deps.js';

export function registerMetrics(http: Express, deps: Pick<AppDeps, 'metrics'>): void {
  http.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
