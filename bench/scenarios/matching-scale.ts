import type { FlagChange } from '../../src/flag-change/model.js';
import { alertsToNotify } from '../../src/matching/alert-matches.js';
import { alertsOfProject } from '../../src/alerts/alerts.repository.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { flagChange, seedAlerts, seedOrganization, type AlertSeed } from '../lib/seed.js';
import { round } from './ingest.js';

const SIZES = [1_000, 10_000, 100_000];
const TARGET_PROJECT = 1;
const TARGET_ALERTS = 10;
const ROUNDS = 400;

/**
 * Time to match one change (the indexed read of its project's alerts plus the pure match) as the
 * store grows from 1,000 to 100,000 alerts, nearly all in other projects and organizations.
 */
export async function matchingScaleScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { handle } = await ctx.freshDatabase('matching');
  const db = handle.db;
  await seedOrganization(db, 'TBENCH');
  await seedOrganization(db, 'TOTHER');
  await seedAlerts(
    db,
    ctx.box,
    'TBENCH',
    Array.from({ length: TARGET_ALERTS }, () => ({ projectId: TARGET_PROJECT, kind: 'webhook' as const, url: 'http://127.0.0.1:9/x' })),
  );
  const change = flagChange(TARGET_PROJECT, 'flag-match') as unknown as FlagChange;
  const result: ScenarioResult = {};
  let stored = TARGET_ALERTS;
  for (const size of SIZES) {
    const more: AlertSeed[] = Array.from({ length: size - stored }, (_, i) => ({
      projectId: 2 + (i % 5000),
      kind: 'webhook' as const,
      url: 'http://127.0.0.1:9/x',
    }));
    await seedAlerts(db, ctx.box, 'TBENCH', more.slice(0, Math.floor(more.length / 2)));
    await seedAlerts(
      db,
      ctx.box,
      'TOTHER',
      more.slice(Math.floor(more.length / 2)).map((s) => ({ ...s, projectId: TARGET_PROJECT })),
    );
    stored = size;
    // warm up, then measure
    for (let i = 0; i < 50; i += 1) alertsToNotify(await alertsOfProject(db, 'TBENCH', TARGET_PROJECT), change);
    const started = performance.now();
    let matched = 0;
    for (let i = 0; i < ROUNDS; i += 1) matched = alertsToNotify(await alertsOfProject(db, 'TBENCH', TARGET_PROJECT), change).length;
    if (matched !== TARGET_ALERTS) throw new Error(`matching found ${matched} alerts, expected ${TARGET_ALERTS}`);
    result[`match_us_at_${size}`] = round(((performance.now() - started) / ROUNDS) * 1000);
  }
  result.ratio_100k_to_1k = round((result.match_us_at_100000 ?? 0) / (result.match_us_at_1000 ?? 1), 2);
  await handle.close();
  return result;
}
