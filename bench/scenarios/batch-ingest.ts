import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { APP, startProcess } from '../lib/app-process.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { flagChange, seedAlerts, seedOrganization } from '../lib/seed.js';
import { round } from './ingest.js';

const BATCH = 100;
const BATCHES = 400;

/** `{"events":[…100…]}` bodies; baseline: the same rows inserted into SQLite directly, one transaction a batch. */
export async function batchIngestScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const db = await ctx.freshDatabase('batch');
  const key = await seedOrganization(db.handle.db, 'TBENCH');
  // Alerts exist but watch another deployment: matching runs, no deliveries are queued.
  await seedAlerts(db.handle.db, ctx.box, 'TBENCH', Array.from({ length: 1000 }, (_, i) => ({ projectId: (i % 100) + 1, kind: 'webhook' as const, url: 'http://127.0.0.1:9/x', deploymentId: 999 })));
  await db.handle.close();

  const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify({ events: Array.from({ length: BATCH }, (_, i) => flagChange(((b * BATCH + i) % 100) + 1, `flag-${b}-${i}`)) }));
  const app = await startProcess(APP, ctx.appEnv(db.url));
  let next = 0;
  const started = performance.now();
  const result = await autocannon({
    url: `${app.url}/api/v1/flag-events`,
    connections: 4,
    amount: BATCHES,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % BATCHES] }) }],
  });
  const seconds = (performance.now() - started) / 1000;
  ctx.notePeakRss(app.peakRssMb());
  await app.stop();
  const eventsPerS = (result['2xx'] * BATCH) / seconds;
  const baseline = directInsertEventsPerSecond(bodies);
  return {
    events_per_s: round(eventsPerS),
    errors: result.errors + result.non2xx,
    baseline_direct_insert_events_per_s: round(baseline),
    ratio_to_baseline: round(eventsPerS / baseline, 3),
  };
}

/** Parse each body and insert its rows with better-sqlite3, one transaction per batch. */
function directInsertEventsPerSecond(bodies: string[]): number {
  const sqlite = new SQLite(join(mkdtempSync(join(tmpdir(), 'bench-direct-')), 'direct.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table flag_events (id integer primary key autoincrement, organization_id text not null, event_key text, project_id integer not null, action text not null, payload text not null, received_at integer not null)');
  const insert = sqlite.prepare('insert into flag_events (organization_id, event_key, project_id, action, payload, received_at) values (?, ?, ?, ?, ?, ?)');
  const insertBatch = sqlite.transaction((events: { projectId: number; action: string }[]) => {
    for (const e of events) insert.run('TBENCH', null, e.projectId, e.action, JSON.stringify(e), Date.now());
  });
  const started = performance.now();
  for (const body of bodies) insertBatch((JSON.parse(body) as { events: { projectId: number; action: string }[] }).events);
  const seconds = (performance.now() - started) / 1000;
  sqlite.close();
  return (bodies.length * BATCH) / seconds;
}
