import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import type { NewAlert } from '../../src/alerts/alert.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { DatabaseHandle, Dialect } from '../../src/storage/database.js';
import { createTestDatabase } from './test-database.js';

export { freePort } from './free-port.js';

/** A migrated database the app can be started on as a child process (its own DATABASE_URL). */
export interface ChildDatabase {
  dialect: Dialect;
  /** DATABASE_URL for the child: PostgreSQL's carries the test schema as a search_path option */
  url: string;
  encryptionKey: string;
  open(): DatabaseHandle;
}

export async function migratedChildDatabase(dialect: Dialect): Promise<ChildDatabase> {
  const encryptionKey = randomBytes(32).toString('base64');
  const test = await createTestDatabase(dialect);
  return { dialect, url: test.url, encryptionKey, open: () => test.open() };
}

/** An organization with an ingest key and the given alerts, written straight into the database. */
export async function seedOrganization(database: ChildDatabase, organizationId: string, alerts: NewAlert[]): Promise<{ key: string; alertIds: number[] }> {
  const { db, close } = database.open();
  try {
    await upsertOrganization(db, { id: organizationId, name: organizationId, enterpriseId: null });
    const { key } = await createIngestKey(db, { organizationId, name: 'reliability', createdBy: 'test' });
    const box = createSecretBox(Buffer.from(database.encryptionKey, 'base64'));
    const alertIds: number[] = [];
    for (const alert of alerts) alertIds.push((await createAlert(db, box, { organizationId, createdBy: 'U1', alert })).id);
    return { key, alertIds };
  } finally {
    await close();
  }
}

export { killHard, spawnApp, waitForHealth } from './child-app.js';

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export interface Hit {
  path: string;
  webhookId: string;
  flagName: string;
  headers: IncomingHttpHeaders;
}

/**
 * A light webhook receiver for load tests: records the webhook-id and flag of every request per path
 * and answers 200, optionally after holding the request (a slow customer endpoint). Signatures are
 * verified by the delivery tests; here only counting matters.
 */
export class CountingReceiver {
  readonly hits: Hit[] = [];
  holdMs = 0;
  private server: Server | undefined;
  baseUrl = '';

  async start(port = 0): Promise<this> {
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let flagName = '';
        try {
          const sent = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { flagName?: unknown }).flagName;
          flagName = typeof sent === 'string' ? sent : '';
        } catch {
          /* counted without a flag */
        }
        const record = () => {
          this.hits.push({ path: req.url ?? '', webhookId: String(req.headers['webhook-id'] ?? ''), flagName, headers: req.headers });
          if (!res.destroyed) res.writeHead(200).end('ok');
        };
        if (this.holdMs > 0) setTimeout(record, this.holdMs);
        else record();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  /** Flag names seen at a path, each once. */
  flagsAt(path: string): Set<string> {
    return new Set(this.hits.filter((h) => h.path === path).map((h) => h.flagName));
  }

  /** Requests beyond the first for the same webhook-id (at-least-once delivery may repeat after a crash). */
  duplicates(): number {
    return this.hits.length - new Set(this.hits.map((h) => h.webhookId)).size;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** An update on an active flag that really changed (it notifies), in a given project. */
export function flagChange(key: string, projectId = 311, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = { id: 9000, key, name: `Flag ${key}`, enabled: true, deployments: [{ id: 71, label: 'production' }], tags: ['payments'] };
  return {
    projectId,
    projectName: `Project ${projectId}`,
    action: 'updated',
    modifiedBy: 'ana@example.com',
    flag: { ...base, rolloutPercentage: 50 },
    oldFlag: { ...base, rolloutPercentage: 10 },
    ...extra,
  };
}

export function postChanges(baseUrl: string, key: string, events: Record<string, unknown>[]): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/flag-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ events }),
  });
}

/** Polls until `check` is true; throws with `what` on timeout. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function webhookAlertTo(url: string, name: string, overrides: Partial<NewAlert> = {}): NewAlert {
  return {
    name,
    projectId: 311,
    scope: { type: 'project' },
    actions: ['created', 'updated', 'deleted'],
    destination: { type: 'webhook', url, signingKey: 'reliability-signing-key-0123456789' },
    ...overrides,
  };
}
