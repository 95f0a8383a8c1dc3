import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { createSource } from '../../src/sources/sources.repository.js';
import { APP, startProcess } from '../lib/app-process.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { seedAlerts, seedOrganization, type AlertSeed } from '../lib/seed.js';
import { requestsPerSecond, round } from './ingest.js';

// The same load as the ingest scenario, so the two ratios compare.
const CONNECTIONS = 50;
const ROUNDS = 3;
const DURATION_S = 5;
const PROJECTS = 1000;
const ALERTS = 10_000;
const FLAGS = 5000;
const SECRET = 'bench-launchdarkly-webhook-secret';

/**
 * Signed LaunchDarkly webhooks (an audit-log entry turning a flag off in one environment, about 8 KB) at 50
 * connections, each with its own `_id`, so none is a duplicate. 10,000 alerts over 1,000 projects watch an
 * environment the entries do not touch: matching runs, no delivery is queued (as in the ingest scenario).
 * The baseline is the ingest scenario's server (read the body, parse the JSON, answer 202), sent the same bodies.
 */
export async function sourceIngestScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const db = await ctx.freshDatabase('source_ingest');
  await seedOrganization(db.handle.db, 'TBENCH');
  const source = await createSource(db.handle.db, ctx.box, { organizationId: 'TBENCH', kind: 'launchdarkly', name: 'bench', secret: SECRET }, Date.now());
  const seeds: AlertSeed[] = Array.from({ length: ALERTS }, (_, i) => ({
    projectId: projectKey(i),
    kind: 'webhook',
    url: 'http://127.0.0.1:9/unused',
    deploymentId: 'unwatched',
  }));
  await seedAlerts(db.handle.db, ctx.box, 'TBENCH', seeds);
  await db.handle.close();

  const app = await startProcess(APP, ctx.appEnv(db.url));
  const baselineProcess = await startProcess('bench/lib/baseline-server.ts', {}, '/');
  const path = `/api/v1/sources/${source.id}`;
  const ours: autocannon.Result[] = [];
  const baseline: autocannon.Result[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    ours.push(await load(`${app.url}${path}`, round * 2));
    baseline.push(await load(`${baselineProcess.url}${path}`, round * 2 + 1));
  }
  ctx.notePeakRss(app.peakRssMb());
  await app.stop();
  await baselineProcess.stop();

  const oursPerS = requestsPerSecond(ours);
  const baselinePerS = requestsPerSecond(baseline);
  return {
    requests_per_s: round(oursPerS),
    p50_ms: Math.max(...ours.map((r) => r.latency.p50)),
    p99_ms: Math.max(...ours.map((r) => r.latency.p99)),
    errors: ours.reduce((n, r) => n + r.errors + r.non2xx, 0),
    baseline_requests_per_s: round(baselinePerS),
    ratio_to_baseline: round(oursPerS / baselinePerS, 3),
  };
}

function projectKey(n: number): string {
  return `p${(n % PROJECTS) + 1}`;
}

/**
 * The fixture toggled-off.json (see its `source`: Sentry's LaunchDarkly test payload, turned into a turn-off), with
 * tokens where each request puts its own `_id`, project and flag key.
 */
function bodyTemplate(): string {
  const fixture = JSON.parse(readFileSync('test/sources/launchdarkly/fixtures/toggled-off.json', 'utf8')) as { body: Record<string, unknown> };
  const body = structuredClone(fixture.body) as Record<string, unknown> & {
    accesses: { action: string; resource: string }[];
    currentVersion: { key: string };
    previousVersion: { key: string };
  };
  body._id = '@ID@';
  body.accesses = [{ action: 'updateOn', resource: 'proj/@PROJECT@:env/test:flag/@FLAG@' }];
  body.currentVersion.key = '@FLAG@';
  body.previousVersion.key = '@FLAG@';
  return JSON.stringify(body);
}

const TEMPLATE = bodyTemplate();

/** One signed entry per request; `run` keeps the ids of every round apart (a repeated `_id` would be a duplicate). */
async function load(url: string, run: number): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          const body = TEMPLATE.replace('@ID@', `bench-${run}-${n}`)
            .replace('@PROJECT@', projectKey(n))
            .replaceAll('@FLAG@', `flag-${n % FLAGS}`);
          const signature = createHmac('sha256', SECRET).update(body).digest('hex');
          return { ...req, body, headers: { ...req.headers, 'x-ld-signature': signature } };
        },
      },
    ],
  });
}
