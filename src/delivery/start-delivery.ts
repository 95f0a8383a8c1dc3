import type { AppDeps } from '../app-deps.js';
import { USER_AGENT } from '../version.js';
import { startOutboxWorker, type OutboxWorker } from './outbox-worker.js';
import type { DeliveryDeps } from './send-context.js';
import { createSlackNotifier } from './slack/slack-notifier.js';
import { createPinnedAgent } from './webhook/pinned-agent.js';
import { createWebhookNotifier } from './webhook/webhook-notifier.js';

/** The outbox worker with the real notifiers: Slack with each workspace's token, webhooks through the guarded agent. */
export function startDelivery(deps: DeliveryDeps & Pick<AppDeps, 'slack'>, options: { channelIntervalMs?: number } = {}): OutboxWorker {
  const allowPrivate = deps.config.webhookAllowPrivateNetworks;
  const slack = deps.slack;
  return startOutboxWorker(deps, {
    slack: slack ? createSlackNotifier((org) => slack.clientFor(org)) : undefined,
    webhook: createWebhookNotifier({ agent: createPinnedAgent({ allowPrivate, timeoutMs: 10_000 }), allowPrivate, userAgent: USER_AGENT, now: deps.now }),
    ...options,
  });
}
