import type { Express } from 'express';
import type { Kysely } from 'kysely';
import { databaseAnswers } from '../../storage/database.js';
import { pendingMigrations } from '../../storage/migrate.js';
import type { Database } from '../../storage/schema.js';
import type { Drain } from '../drain.js';

export interface ReadyzDeps {
  db: Kysely<Database>;
  drain: Pick<Drain, 'draining'>;
  /** the workers' names that do not run (stopped or never started) */
  workersDown(): string[];
}

/** Readiness (contract section 2): 200 only when the database answers, migrations are current and the workers run. */
export function registerReadyz(http: Express, deps: ReadyzDeps): void {
  http.get('/readyz', async (_req, res) => {
    const notReady = (status: string, reason: string) => res.status(503).json({ status, reason });
    if (deps.drain.draining) return notReady('draining', 'shutting down');
    if (!(await databaseAnswers(deps.db))) return notReady('unavailable', 'database does not answer');
    const pending = await pendingMigrations(deps.db).catch(() => ['(unreadable)']);
    if (pending.length > 0) return notReady('migrating', `migrations not applied: ${pending.join(', ')}`);
    const down = deps.workersDown();
    if (down.length > 0) return notReady('degraded', `not running: ${down.join(', ')}`);
    res.json({ status: 'ready' });
  });
}
