import type { AlertStatus } from '../alerts/alert.js';

/** What a notifier reports; the worker turns it into row and alert updates. Notifiers never touch the database. */
export type SendOutcome =
  | { kind: 'delivered'; statusCode?: number }
  | { kind: 'retry'; error: string; statusCode?: number; retryAfterMs?: number }
  | {
      kind: 'dead';
      error: string;
      statusCode?: number;
      /** the alert cannot work until someone acts: broken (Slack) or disabled (webhook 410) */
      alertStatus?: Extract<AlertStatus, 'broken' | 'disabled'>;
      /** tell the alert's creator by DM what to do */
      notifyCreator?: string;
    };
