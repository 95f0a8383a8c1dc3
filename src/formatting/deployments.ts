import type { Alert } from '../alerts/alert.js';
import { deploymentLabelsIn } from '../flag-change/deployments.js';
import type { FlagEvent, FlagId } from '../flag-change/model.js';

/**
 * Labels known for this change. The alert's own label wins (it is what the person picked when making the alert),
 * then the new snapshot's, then the old one's.
 */
export function deploymentLabels(change: { event: FlagEvent; alert: Pick<Alert, 'scope'> }): Map<FlagId, string> {
  const labels = deploymentLabelsIn([change.event.oldFlag, change.event.flag]);
  const scope = change.alert.scope;
  if (scope.type === 'deployment' && scope.deploymentLabel) labels.set(scope.deploymentId, scope.deploymentLabel);
  return labels;
}
