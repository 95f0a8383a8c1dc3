import type { Refused } from '../../roles/requester.js';
import type { Alert } from '../alert.js';
import type { AlertFormErrors } from '../alert-form.js';

export type { Refused, Requester } from '../../roles/requester.js';

/** No such alert in the requester's organization (alerts of other organizations look the same). */
export interface NotFound {
  kind: 'not-found';
}

export type ChangeOutcome = { kind: 'done'; alert: Alert } | Refused | NotFound;

/** Resumed, but the bot still cannot post in the channel: the alert waits, and `hint` says what to do. */
export type ResumeOutcome = ChangeOutcome | { kind: 'waiting'; alert: Alert; hint: string };

/** `already-pending`: a test of this alert is still on its way, and nothing more was queued. */
export type TestOutcome =
  | { kind: 'queued' | 'already-pending'; alert: Alert; deliveryId: number }
  | { kind: 'too-many'; alert: Alert; retryAfterSeconds: number }
  | { kind: 'gone'; alert: Alert }
  | Refused
  | NotFound;

/**
 * `notice`: the alert waits for an invite to its channel, and this is what to tell the person.
 * `refreshed`: the refresh of every place that shows alerts, started but not awaited, so Slack's modal can be
 * answered within its 3 seconds first; it never rejects. Every surface awaits it before it is done.
 */
export type SaveOutcome =
  { kind: 'saved'; alert: Alert; notice?: string; refreshed: Promise<void> } | { kind: 'invalid'; errors: AlertFormErrors } | Refused | NotFound;
