import type { Alert, AlertStatus } from '../../alerts/alert.js';

/** Web wording of an alert's status (the Slack surfaces use emoji; the meaning is the same). */
const STATUS_LABEL: Record<AlertStatus, string> = {
  active: 'active',
  paused: 'paused',
  waiting: 'waiting: invite the app to the channel',
  failing: 'failing',
  broken: 'broken',
  disabled: 'disabled',
};

export function statusLabel(alert: Alert): string {
  const base = STATUS_LABEL[alert.status] ?? alert.status;
  return alert.statusReason && alert.status !== 'active' && alert.status !== 'paused' ? `${base} (${alert.statusReason})` : base;
}
