import type { Role } from '../../roles/roles.js';
import type { Alert } from '../alert.js';
import type { AlertFormErrors } from '../alert-form.js';

/** Who asks, as their surface identified them; the role comes from the one role rule (roleOf, or operator = admin). */
export interface Requester {
  organizationId: string;
  /** recorded as creator and test requester: a Slack user id, or "operator" */
  actor: string;
  role: Role;
}

/** The role does not allow it: the surface names the role and the admins to ask. */
export interface Refused {
  kind: 'refused';
  role: Role;
  admins: string[];
}

/** No such alert in the requester's organization (alerts of other organizations look the same). */
export interface NotFound {
  kind: 'not-found';
}

export type ChangeOutcome = { kind: 'done'; alert: Alert } | Refused | NotFound;

/** Resumed, but the bot still cannot post in the channel: the alert waits, and `hint` says what to do. */
export type ResumeOutcome = ChangeOutcome | { kind: 'waiting'; alert: Alert; hint: string };

export type TestOutcome = { kind: 'queued'; alert: Alert; deliveryId: number } | { kind: 'gone'; alert: Alert } | Refused | NotFound;

/**
 * `notice`: the alert waits for an invite to its channel, and this is what to tell the person.
 * `refreshed`: the refresh of every place that shows alerts, started but not awaited, so Slack's modal can be
 * answered within its 3 seconds first; it never rejects. Every surface awaits it before it is done.
 */
export type SaveOutcome =
  { kind: 'saved'; alert: Alert; notice?: string; refreshed: Promise<void> } | { kind: 'invalid'; errors: AlertFormErrors } | Refused | NotFound;
