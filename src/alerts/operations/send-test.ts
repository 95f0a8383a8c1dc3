import { manageableAlert } from './access.js';
import type { AlertOperationsDeps } from './deps.js';
import type { Requester, TestOutcome } from './outcome.js';

/** Queues a sample notification to the alert's destination. Nothing visible changes yet: no refresh. */
export async function sendTestAs(deps: AlertOperationsDeps, requester: Requester, alertId: number | undefined): Promise<TestOutcome> {
  const found = await manageableAlert(deps, requester, alertId);
  if (found.kind !== 'found') return found;
  const queued = await deps.queueTestDelivery({ organizationId: requester.organizationId, alertId: found.alert.id, requestedBy: requester.actor });
  return queued ? { kind: 'queued', alert: found.alert, deliveryId: queued.deliveryId } : { kind: 'gone', alert: found.alert };
}
