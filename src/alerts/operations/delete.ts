import { deleteAlert } from '../alerts.repository.js';
import { manageableAlert } from './access.js';
import type { AlertOperationsDeps } from './deps.js';
import type { ChangeOutcome, Requester } from './outcome.js';

/** Removes an alert; its queued deliveries go with it. */
export async function deleteAlertAs(deps: AlertOperationsDeps, requester: Requester, alertId: number | undefined): Promise<ChangeOutcome> {
  const found = await manageableAlert(deps, requester, alertId);
  if (found.kind !== 'found') return found;
  await deleteAlert(deps.db, requester.organizationId, found.alert.id);
  await deps.alertsChanged(requester.organizationId);
  return { kind: 'done', alert: found.alert };
}
