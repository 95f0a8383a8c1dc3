import { APP, startProcess } from '../lib/app-process.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { flagChange, seedAlerts, seedOrganization } from '../lib/seed.js';
import { install, keysSeenInSlack, pacedFakeSlack, slackEnv } from '../lib/slack-and-receivers.js';
import { round } from './ingest.js';

const CHANGES = 500;

/** 500 changes into one channel at once: how many messages, how many 429s, and when the last change shows. */
export async function burstScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const slack = await pacedFakeSlack();
  const db = await ctx.freshDatabase('burst');
  const key = await seedOrganization(db.handle.db, 'TBENCH');
  await seedAlerts(db.handle.db, ctx.box, 'TBENCH', [{ projectId: 7, kind: 'slack', channelId: 'CBURST' }]);
  await db.handle.close();
  const app = await startProcess(APP, ctx.appEnv(db.url, slackEnv(slack)));
  await install(app.url, slack, 'TBENCH');

  const events = Array.from({ length: CHANGES }, (_, i) => flagChange(7, `burst-${i}`));
  const started = Date.now();
  const res = await fetch(`${app.url}/api/v1/flag-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ events }),
  });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
  const deadline = Date.now() + 60_000;
  let seen = keysSeenInSlack(slack, /burst-\d+/g);
  while (seen.size < CHANGES && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    seen = keysSeenInSlack(slack, /burst-\d+/g);
  }
  const lastAt = Math.max(...slack.callsOf('chat.postMessage').map((c) => c.at));
  ctx.notePeakRss(app.peakRssMb());
  await app.stop();
  await slack.stop();
  return {
    messages_posted: slack.callsOf('chat.postMessage').length,
    rate_limited_429: slack.rateLimited,
    missing_changes: CHANGES - seen.size,
    seconds_to_last_visible: round((lastAt - started) / 1000, 2),
  };
}
