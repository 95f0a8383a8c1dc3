import autocannon from 'autocannon';
import { APP, startProcess } from '../lib/app-process.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { flagChange, seedAlerts, seedOrganization, type AlertSeed } from '../lib/seed.js';

const CONNECTIONS = 50;
/** 15 s of load on each side, in alternating rounds */
const ROUNDS = 3;
const DURATION_S = 5;
const PROJECTS = 1000;
const ALERTS = 10_000;

/**
 * Single-event POSTs at 50 connections, with 10,000 alerts over 1,000 projects stored. The alerts watch a
 * deployment the changes do not touch, so every request runs matching against its project's alerts
 * but queues no delivery: this measures ingestion, not the delivery that scenario 3 measures.
 */
export async function ingestScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const db = await ctx.freshDatabase('ingest');
  const key = await seedOrganization(db.handle.db, 'TBENCH');
  const seeds: AlertSeed[] = Array.from({ length: ALERTS }, (_, i) => ({
    projectId: (i % PROJECTS) + 1,
    kind: 'webhook',
    url: 'http://127.0.0.1:9/unused',
    deploymentId: 999,
  }));
  await seedAlerts(db.handle.db, ctx.box, 'TBENCH', seeds);
  await db.handle.close();

  const app = await startProcess(APP, ctx.appEnv(db.url));
  const baselineProcess = await startProcess('bench/lib/baseline-server.ts', {}, '/');
  // Alternating rounds: a load change on the machine (another process waking up) hits both sides alike.
  const ours: autocannon.Result[] = [];
  const baseline: autocannon.Result[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    ours.push(await load(`${app.url}/api/v1/flag-events`, key));
    baseline.push(await load(`${baselineProcess.url}/api/v1/flag-events`, key));
  }
  ctx.notePeakRss(app.peakRssMb());
  await app.stop();
  await baselineProcess.stop();

  const oursPerS = requestsPerSecond(ours);
  const baselinePerS = requestsPerSecond(baseline);
  return {
    requests_per_s: round(oursPerS),
    // the worst round's percentiles: a bad round is not averaged away
    p50_ms: Math.max(...ours.map((r) => r.latency.p50)),
    p99_ms: Math.max(...ours.map((r) => r.latency.p99)),
    errors: ours.reduce((n, r) => n + r.errors + r.non2xx, 0),
    baseline_requests_per_s: round(baselinePerS),
    ratio_to_baseline: round(oursPerS / baselinePerS, 3),
  };
}

export function requestsPerSecond(rounds: autocannon.Result[]): number {
  return rounds.reduce((n, r) => n + r.requests.total, 0) / rounds.reduce((s, r) => s + r.duration, 0);
}

async function load(url: string, key: string): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          return { ...req, body: JSON.stringify(flagChange((n % PROJECTS) + 1, `flag-${n}`)) };
        },
      },
    ],
  });
}

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
