import { FakeSlack } from '../../test/helpers/fake-slack.js';
import { installWorkspace } from '../../test/helpers/install-workspace.js';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { BENCH_SIGNING_KEY } from './seed.js';

/** The fake Slack the benchmark runs against: it answers 429 to a second post within a second to a channel, like Slack. */
export async function pacedFakeSlack(): Promise<FakeSlack> {
  const slack = await new FakeSlack().start();
  slack.channelPostIntervalMs = 1000;
  return slack;
}

export function slackEnv(slack: FakeSlack): Record<string, string> {
  return {
    SLACK_CLIENT_ID: '111.222',
    SLACK_CLIENT_SECRET: 'bench-client-secret',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    SLACK_AUTHORIZE_URL: `${slack.baseUrl}/oauth/v2/authorize`,
  };
}

export async function install(appUrl: string, slack: FakeSlack, teamId: string): Promise<void> {
  const res = await installWorkspace(appUrl, slack, { teamId, userId: 'UBENCH' });
  if (res.status !== 302) throw new Error(`install answered ${res.status}`);
}

export async function startReceivers(n: number): Promise<WebhookReceiver[]> {
  return Promise.all(Array.from({ length: n }, () => new WebhookReceiver(BENCH_SIGNING_KEY).start()));
}

/** Every flag key that appears in the Slack messages posted so far, with how many times. */
export function keysSeenInSlack(slack: FakeSlack, pattern: RegExp): Map<string, number> {
  const seen = new Map<string, number>();
  for (const call of slack.callsOf('chat.postMessage')) {
    // Count each key once per message: the fallback text and the blocks both name it.
    const inMessage = new Set(`${String(call.args.text)} ${JSON.stringify(call.args.blocks)}`.match(pattern) ?? []);
    for (const k of inMessage) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return seen;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
