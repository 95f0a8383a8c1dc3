import type { AppDeps } from '../app-deps.js';
import type { SlackNotifier } from './slack/slack-notifier.js';
import type { WebhookNotifier } from './webhook/webhook-notifier.js';

/** What a send step needs; one per worker. */
export interface SendContext {
  deps: AppDeps;
  slack: SlackNotifier | undefined;
  webhook: WebhookNotifier;
  channelIntervalMs: number;
  /** Look again at this time (a channel's next slot), rather than at the next poll tick. */
  wakeAt(at: number): void;
}
