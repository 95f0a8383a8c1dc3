import { APP, startProcess } from '../lib/app-process.js';
import type { BenchContext, ScenarioResult } from '../lib/context.js';
import { flagChange, seedAlerts, seedOrganization, type AlertSeed } from '../lib/seed.js';
import { install, keysSeenInSlack, pacedFakeSlack, percentile, slackEnv, startReceivers } from '../lib/slack-and-receivers.js';
import { round } from './ingest.js';

const CHANGES = 5000;
const RECEIVERS = 50;
const CHANNELS = 200;
/** changes a second offered to the app: about 1,280 webhook deliveries a second, above the 1,000/s target */
const RATE = 1600;
const BATCH = 25;
const SLACK_SHARE = 5; // one change in five goes to a Slack channel

/**
 * 5,000 changes at a steady 1,600/s: four in five match a webhook alert (50 receivers that verify both
 * signatures), one in five a Slack alert (200 channels, Slack's one-per-second pace enforced with 429s).
 */
export async function deliveryScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const receivers = await startReceivers(RECEIVERS);
  const slack = await pacedFakeSlack();
  const db = await ctx.freshDatabase('delivery');
  const key = await seedOrganization(db.handle.db, 'TBENCH');
  const seeds: AlertSeed[] = [
    ...receivers.map((r, i) => ({ projectId: i + 1, kind: 'webhook' as const, url: r.url })),
    ...Array.from({ length: CHANNELS }, (_, i) => ({ projectId: 1000 + i, kind: 'slack' as const, channelId: `C${i}` })),
  ];
  await seedAlerts(db.handle.db, ctx.box, 'TBENCH', seeds);
  await db.handle.close();
  const app = await startProcess(APP, ctx.appEnv(db.url, slackEnv(slack)));
  await install(app.url, slack, 'TBENCH');

  const acceptedAt = new Map<string, number>();
  const webhookKeys: string[] = [];
  const slackKeys: string[] = [];
  const started = Date.now();
  for (let i = 0; i < CHANGES; i += BATCH) {
    const events = Array.from({ length: BATCH }, (_, j) => {
      const n = i + j;
      const toSlack = n % SLACK_SHARE === 0;
      const k = `${toSlack ? 's' : 'w'}chg-${n}`;
      (toSlack ? slackKeys : webhookKeys).push(k);
      return flagChange(toSlack ? 1000 + (n % CHANNELS) : (n % RECEIVERS) + 1, k);
    });
    const res = await fetch(`${app.url}/api/v1/flag-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ events }),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    const at = Date.now();
    for (const e of events) acceptedAt.set((e.flag as { key: string }).key, at);
    const due = started + ((i + BATCH) / RATE) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }

  const slackPattern = /schg-\d+/g;
  const deadline = Date.now() + 90_000;
  const received = () => receivers.reduce((n, r) => n + r.received.length, 0);
  while (Date.now() < deadline && (received() < webhookKeys.length || keysSeenInSlack(slack, slackPattern).size < slackKeys.length)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const all = receivers.flatMap((r) => r.received);
  const lastWebhookAt = Math.max(...all.map((w) => w.at));
  const latencies = all.map((w) => w.at - (acceptedAt.get(String(w.body.flagName)) ?? w.at));
  const webhookIds = new Set(all.map((w) => w.headers['webhook-id']));
  const webhookSeen = new Set(all.map((w) => String(w.body.flagName)));
  const slackSeen = keysSeenInSlack(slack, slackPattern);
  ctx.notePeakRss(app.peakRssMb());
  await app.stop();
  await slack.stop();
  await Promise.all(receivers.map((r) => r.stop()));

  return {
    webhook_deliveries: all.length,
    deliveries_per_s: round(all.length / ((lastWebhookAt - started) / 1000)),
    webhook_p50_ms: percentile(latencies, 50),
    webhook_p99_ms: percentile(latencies, 99),
    bad_signatures: all.filter((w) => !w.knockValid || !w.standardValid).length,
    slack_messages: slack.callsOf('chat.postMessage').length,
    slack_429s: slack.rateLimited,
    lost: webhookKeys.filter((k) => !webhookSeen.has(k)).length + slackKeys.filter((k) => !slackSeen.has(k)).length,
    duplicated: all.length - webhookIds.size + [...slackSeen.values()].filter((n) => n > 1).length,
  };
}
