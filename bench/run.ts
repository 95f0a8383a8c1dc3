import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createBenchContext, type BenchContext, type ScenarioResult } from './lib/context.js';
import { batchIngestScenario } from './scenarios/batch-ingest.js';
import { burstScenario } from './scenarios/burst.js';
import { deliveryScenario } from './scenarios/delivery.js';
import { ingestScenario } from './scenarios/ingest.js';
import { matchingScaleScenario } from './scenarios/matching-scale.js';
import { sourceIngestScenario } from './scenarios/source-ingest.js';

/**
 * `npm run bench [-- --postgres] [-- --only=name,name] [-- --profile]` (--profile: CPU profiles of the app in bench/results/profiles): starts the real app as a child process per
 * scenario, prints a table and writes bench/results/latest.json. Targets are reported, not asserted.
 */
const args = process.argv.slice(2);
const postgresUrl = args.includes('--postgres') ? (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : undefined;
if (args.includes('--profile')) process.env.BENCH_CPU_PROFILE_DIR = 'bench/results/profiles';
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

const scenarios: [string, (ctx: BenchContext) => Promise<ScenarioResult>][] = [
  ['ingest', ingestScenario],
  ['batch_ingest', batchIngestScenario],
  ['source_ingest', sourceIngestScenario],
  ['delivery', deliveryScenario],
  ['burst', burstScenario],
  ['matching_scale', matchingScaleScenario],
];

const targets: Record<string, (r: ScenarioResult) => boolean> = {
  ingest: (r) => (r.ratio_to_baseline ?? 0) >= 0.5 && (r.p99_ms ?? Infinity) <= 25,
  // A platform's signed webhook through a source: verify, translate, then the same ingest as the native endpoint.
  source_ingest: (r) => (r.ratio_to_baseline ?? 0) >= 0.5,
  batch_ingest: (r) => (r.events_per_s ?? 0) >= 20_000 && (r.ratio_to_baseline ?? 0) >= 0.3,
  delivery: (r) => r.lost === 0 && r.duplicated === 0 && (r.webhook_p99_ms ?? Infinity) <= 250 && (r.deliveries_per_s ?? 0) >= 1000,
  burst: (r) => (r.rate_limited_429 ?? Infinity) <= 1 && r.missing_changes === 0 && (r.seconds_to_last_visible ?? Infinity) <= 30,
  matching_scale: (r) => (r.ratio_100k_to_1k ?? Infinity) <= 2,
  memory: (r) => (r.peak_rss_mb ?? Infinity) <= 250,
};

// The app runs compiled, as `npm start` runs it.
execSync('npx tsc -p tsconfig.build.json', { stdio: 'inherit' });
const ctx = await createBenchContext(postgresUrl);
const results: Record<string, ScenarioResult> = {};
const started = performance.now();
for (const [name, run] of scenarios) {
  if (only && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  results[name] = await run(ctx);
}
results.memory = { peak_rss_mb: ctx.peakRssMb };

const report = {
  database: postgresUrl ? 'postgres' : 'sqlite',
  cpus: cpus().length,
  node: process.version,
  seconds: Math.round((performance.now() - started) / 1000),
  ...results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(report, null, 2)}\n`);

console.log(`\nFlag Alerts benchmark — ${report.database}, ${report.cpus} CPUs, Node ${report.node}, ${report.seconds} s\n`);
console.log('| scenario | metric | value | target met |');
console.log('|---|---|---|---|');
for (const [name, metrics] of Object.entries(results)) {
  const met = targets[name]?.(metrics);
  Object.entries(metrics).forEach(([metric, value], i) => {
    console.log(`| ${i === 0 ? name : ''} | ${metric} | ${value} | ${i === 0 ? (met === undefined ? '' : met ? 'yes' : 'NO') : ''} |`);
  });
}
