import type { Alert } from '../alerts/alert.js';
import { recordLastDelivery, setAlertStatus } from '../alerts/alerts.repository.js';
import { markDelivered, markFailed } from './deliveries.repository.js';
import type { DeliveryContent } from './delivery-content.js';
import { logDeliveryFailure } from './log-delivery-failure.js';
import { MAX_ATTEMPTS, nextAttemptDelayMs } from './retry-policy.js';
import type { DeliveryDeps } from './send-context.js';
import type { SendOutcome } from './send-outcome.js';
import type { SlackNotifier } from './slack/slack-notifier.js';

/**
 * Writes what one try did to every delivery it carried, and to their alerts: status, last delivery,
 * and failing/active/broken/disabled. Returns nothing the caller must act on; the creator's DM goes from here.
 */
export async function recordOutcome(deps: DeliveryDeps, contents: DeliveryContent[], outcome: SendOutcome, slack?: SlackNotifier): Promise<void> {
  const now = deps.now();
  const ids = contents.map((c) => Number(c.row.id));
  const destination = contents[0]?.row.destination_type ?? 'webhook';
  const statusCode = 'statusCode' in outcome ? (outcome.statusCode ?? null) : null;

  if (outcome.kind === 'delivered') {
    await markDelivered(deps.db, ids, { now, statusCode, digestOf: ids.length > 1 ? (ids[0] ?? null) : null });
    deps.metrics.deliveries.inc({ destination, outcome: 'delivered' }, ids.length);
    for (const c of contents) deps.metrics.deliveryLatency.observe({ destination }, Math.max(0, now - c.receivedAt) / 1000);
  } else if (outcome.kind === 'retry') {
    // Rows of one try share their attempt count closely enough: the first one decides.
    const attempts = (contents[0]?.row.attempts ?? 0) + 1;
    const dead = attempts >= MAX_ATTEMPTS;
    await markFailed(deps.db, ids, { now, dead, nextAttemptAt: now + nextAttemptDelayMs(attempts, outcome.retryAfterMs), error: outcome.error, statusCode });
    deps.metrics.deliveries.inc({ destination, outcome: dead ? 'dead' : 'retry' }, ids.length);
    logDeliveryFailure(deps.logger, contents, { dead, attempt: attempts, reason: outcome.error, statusCode });
  } else {
    await markFailed(deps.db, ids, { now, dead: true, nextAttemptAt: now, error: outcome.error, statusCode });
    deps.metrics.deliveries.inc({ destination, outcome: 'dead' }, ids.length);
    logDeliveryFailure(deps.logger, contents, { dead: true, attempt: (contents[0]?.row.attempts ?? 0) + 1, reason: outcome.error, statusCode });
  }
  await updateAlerts(deps, contents, outcome, now, slack);
}

async function updateAlerts(deps: DeliveryDeps, contents: DeliveryContent[], outcome: SendOutcome, now: number, slack?: SlackNotifier): Promise<void> {
  const alerts = new Map<number, Alert>();
  for (const c of contents) if (c.alert) alerts.set(c.alert.id, c.alert);
  for (const alert of alerts.values()) {
    const lastOutcome = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'retrying' : 'dead';
    await recordLastDelivery(deps.db, alert.organizationId, alert.id, lastOutcome, now);
    const next = nextStatus(alert, outcome);
    if (next && next.status !== alert.status) {
      await setAlertStatus(deps.db, alert.organizationId, alert.id, next.status, next.reason, now);
      deps.alertStatusChanged(alert.organizationId);
    }
    if (outcome.kind === 'dead' && outcome.notifyCreator && slack && alert.status !== 'broken') {
      const text = `Your Flag Alerts alert “${alert.name}” stopped delivering: ${outcome.error}. ${outcome.notifyCreator}`;
      await slack.dm(alert.organizationId, alert.createdBy, text).catch((error: Error) => {
        deps.logger.warn({ alertId: alert.id, err: error.message }, 'could not DM the alert creator');
      });
    }
  }
}

function nextStatus(alert: Alert, outcome: SendOutcome): { status: Alert['status']; reason: string | null } | undefined {
  if (outcome.kind === 'delivered') {
    return alert.status === 'failing' || alert.status === 'waiting' ? { status: 'active', reason: null } : undefined;
  }
  if (outcome.kind === 'retry') return alert.status === 'active' ? { status: 'failing', reason: outcome.error } : undefined;
  if (outcome.alertStatus) return { status: outcome.alertStatus, reason: outcome.error };
  return undefined;
}
