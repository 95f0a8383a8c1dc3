import type { AppDeps } from '../app-deps.js';
import type { SlackNotifier } from './slack/slack-notifier.js';
import type { WebhookNotifier } from './webhook/webhook-notifier.js';

/** What delivery needs of the app: storage, the signing keys, metrics, and the hook for alert status changes. */
export type DeliveryDeps = Pick<AppDeps, 'config' | 'db' | 'dialect' | 'logger' | 'box' | 'metrics' | 'now' | 'alertStatusChanged'>;

/** What a send step needs; one per worker. */
export interface SendContext {
  deps: DeliveryDeps;
  slack: SlackNotifier | undefined;
  webhook: WebhookNotifier;
  channelIntervalMs: number;
  /** this worker's claim identity and lease, for claims made while sending (a channel's backlog) */
  workerId: string;
  leaseMs: number;
  /** Look again at this time (a channel's next slot), rather than at the next poll tick. */
  wakeAt(at: number): void;
}
