import type { Alert, AlertStatus } from '../alerts/alert.js';
import { deploymentIdOf } from '../flag-change/deployments.js';
import type { FlagChange } from '../flag-change/model.js';
import { changeNotifies } from '../flag-change/notify-rule.js';

/** Alerts in these states take new deliveries; paused, broken and disabled ones do not. */
export const DELIVERING_STATUSES: readonly AlertStatus[] = ['active', 'failing', 'waiting'];

export function alertReceivesDeliveries(alert: Pick<Alert, 'status'>): boolean {
  return DELIVERING_STATUSES.includes(alert.status);
}

/** The alert asked for this action, and the change is inside its project and scope. */
export function alertMatches(alert: Pick<Alert, 'projectId' | 'actions' | 'scope'>, change: FlagChange): boolean {
  if (alert.projectId !== change.projectId) return false;
  if (!alert.actions.includes(change.action)) return false;
  const scope = alert.scope;
  switch (scope.type) {
    case 'project':
      return true;
    case 'deployment':
      // A platform's change in one environment is not news for another, whatever deployments the flag lists.
      if (change.environment === null) return true;
      if (change.environment !== undefined) return change.environment === scope.deploymentId;
      return [change.flag, change.oldFlag].some((f) => f?.deployments?.some((d) => deploymentIdOf(d) === scope.deploymentId) ?? false);
    case 'tag':
      return [change.flag, change.oldFlag].some((f) => f?.tags?.some((t) => scope.tags.includes(t)) ?? false);
  }
}

/** The alerts (of the change's project) that get a delivery for this change. */
export function alertsToNotify<A extends Pick<Alert, 'projectId' | 'actions' | 'scope' | 'status'>>(alerts: readonly A[], change: FlagChange): A[] {
  if (!changeNotifies(change)) return [];
  return alerts.filter((alert) => alertReceivesDeliveries(alert) && alertMatches(alert, change));
}
