import type { AppDeps } from '../app-deps.js';
import type { SlackNotifier } from './slack/slack-notifier.js';
import type { WebhookNotifier } from './webhook/webhook-notifier.js';

/** What a send step needs; one per worker. */
export interface SendContext {
  deps: AppDeps;
  slack: SlackNotifier | undefined;
  webhook: WebhookNotifier;
  channelIntervalMs: number;
  /** this worker's claim identity and lease, for claims made while sending (a channel's backlog) */
  workerId: string;
  leaseMs: number;
  /** Look again at this time (a channel's next slot), rather than at the next poll tick. */
  wakeAt(at: number): void;
}
