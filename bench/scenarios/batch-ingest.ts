import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'undici';
import SQLite from 'better-sqlite3';
import { APP, startProcess } from '../lib/app-process.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { flagChange, seedAlerts, seedOrganization } from '../lib/seed.js';
import { round } from './ingest.js';

const BATCH = 100;
const BATCHES = 1000;
/** Batches sent first and not timed, on both sides: the measurement is of warm code, not of the JIT. */
const WARMUP_BATCHES = 100;

/** `{"events":[…100…]}` bodies; baseline: the same rows inserted into SQLite directly, one transaction a batch. */
export async function batchIngestScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const db = await ctx.freshDatabase('batch');
  const key = await seedOrganization(db.handle.db, 'TBENCH');
  // Alerts exist but watch another deployment: matching runs, no deliveries are queued.
  await seedAlerts(
    db.handle.db,
    ctx.box,
    'TBENCH',
    Array.from({ length: 1000 }, (_, i) => ({ projectId: (i % 100) + 1, kind: 'webhook' as const, url: 'http://127.0.0.1:9/x', deploymentId: 999 })),
  );
  await db.handle.close();

  const batches = (count: number, label: string) =>
    Array.from({ length: count }, (_, b) =>
      JSON.stringify({ events: Array.from({ length: BATCH }, (_, i) => flagChange(((b * BATCH + i) % 100) + 1, `${label}-${b}-${i}`)) }),
    );
  const warmup = batches(WARMUP_BATCHES, 'warmup');
  const bodies = batches(BATCHES, 'flag');
  const app = await startProcess(APP, ctx.appEnv(db.url));
  const url = `${app.url}/api/v1/flag-events`;
  await postAll(url, key, warmup);
  const started = performance.now();
  const result = await postAll(url, key, bodies);
  const seconds = (performance.now() - started) / 1000;
  ctx.notePeakRss(app.peakRssMb());
  await app.stop();
  const eventsPerS = (result.accepted * BATCH) / seconds;
  const baseline = directInsertEventsPerSecond(warmup, bodies);
  return {
    events_per_s: round(eventsPerS),
    errors: result.errors,
    baseline_direct_insert_events_per_s: round(baseline),
    ratio_to_baseline: round(eventsPerS / baseline, 3),
  };
}

const CONNECTIONS = 4;

/**
 * Posts every body over CONNECTIONS keep-alive connections, as fast as the app answers. Timed here, not
 * with autocannon: its `amount` mode only notices the end at its next one-second sample, which made
 * runs of a second or two read as whole seconds.
 */
async function postAll(url: string, key: string, bodies: string[]): Promise<{ accepted: number; errors: number }> {
  const dispatcher = new Agent({ connections: CONNECTIONS });
  let next = 0;
  let accepted = 0;
  let errors = 0;
  const worker = async () => {
    for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) {
      try {
        const res = await request(url, { method: 'POST', body, dispatcher, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
        await res.body.dump();
        if (res.statusCode === 202) accepted += 1;
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await dispatcher.close();
  return { accepted, errors };
}

/** Parse each body and insert its rows with better-sqlite3, one transaction per batch (after the same warmup). */
function directInsertEventsPerSecond(warmup: string[], bodies: string[]): number {
  const sqlite = new SQLite(join(mkdtempSync(join(tmpdir(), 'bench-direct-')), 'direct.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec(
    'create table flag_events (id integer primary key autoincrement, organization_id text not null, event_key text, project_id integer not null, action text not null, payload text not null, received_at integer not null)',
  );
  const insert = sqlite.prepare('insert into flag_events (organization_id, event_key, project_id, action, payload, received_at) values (?, ?, ?, ?, ?, ?)');
  const insertBatch = sqlite.transaction((events: { projectId: number; action: string }[]) => {
    for (const e of events) insert.run('TBENCH', null, e.projectId, e.action, JSON.stringify(e), Date.now());
  });
  for (const body of warmup) insertBatch((JSON.parse(body) as { events: { projectId: number; action: string }[] }).events);
  const started = performance.now();
  for (const body of bodies) insertBatch((JSON.parse(body) as { events: { projectId: number; action: string }[] }).events);
  const seconds = (performance.now() - started) / 1000;
  sqlite.close();
  return (bodies.length * BATCH) / seconds;
}
