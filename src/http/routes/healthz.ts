import type { Express } from 'express';
import type { AppDeps } from '../../app-deps.js';
import { databaseAnswers } from '../../storage/database.js';

export function registerHealthz(http: Express, deps: Pick<AppDeps, 'db'>): void {
  http.get('/healthz', async (_req, res) => {
    if (await databaseAnswers(deps.db)) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'unavailable', error: 'database does not answer' });
  });
}
