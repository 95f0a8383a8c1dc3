import { manageableAlert } from './access.js';
import type { AlertOperationsDeps } from './deps.js';
import type { Requester, TestOutcome } from './outcome.js';

/**
 * Queues a sample notification to the alert's destination. At most one test per alert is on its way at a
 * time, and one person may ask for only so many in a minute. Nothing visible changes yet: no refresh.
 */
export async function sendTestAs(deps: AlertOperationsDeps, requester: Requester, alertId: number | undefined): Promise<TestOutcome> {
  const found = await manageableAlert(deps, requester, alertId);
  if (found.kind !== 'found') return found;
  const allowed = deps.sendLimiter.take(`${requester.organizationId}:${requester.actor}`, deps.now());
  if (!allowed.ok) return { kind: 'too-many', alert: found.alert, retryAfterSeconds: Math.max(1, Math.ceil(allowed.retryAfterMs / 1000)) };
  const queued = await deps.queueTestDelivery({ organizationId: requester.organizationId, alertId: found.alert.id, requestedBy: requester.actor });
  if (!queued) return { kind: 'gone', alert: found.alert };
  return { kind: queued.kind, alert: found.alert, deliveryId: queued.deliveryId };
}
