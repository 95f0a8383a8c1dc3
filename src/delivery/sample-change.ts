import type { Alert } from '../alerts/alert.js';
import type { FlagEvent } from '../flag-change/model.js';

/** A realistic change inside the alert's scope, for "send test" and the CLI's send-sample. */
export function sampleChange(alert: Pick<Alert, 'projectId' | 'scope'>, requestedBy: string): FlagEvent {
  const deployment =
    alert.scope.type === 'deployment'
      ? { id: alert.scope.deploymentId, label: alert.scope.deploymentLabel ?? `deployment ${alert.scope.deploymentId}` }
      : { id: 1, label: 'production' };
  const tags = alert.scope.type === 'tag' ? alert.scope.tags : ['sample'];
  const base = {
    id: 0,
    key: 'flag-alerts-sample',
    name: 'Flag Alerts sample flag',
    description: 'A sample change sent to check this alert',
    deployments: [deployment],
    tags,
    variants: [{ key: 'on' }, { key: 'off' }],
  };
  return {
    projectId: alert.projectId,
    projectName: `Project ${alert.projectId}`,
    action: 'updated',
    modifiedBy: requestedBy,
    occurredAt: new Date().toISOString(),
    flag: { ...base, enabled: true, rolloutPercentage: 50 },
    oldFlag: { ...base, enabled: true, rolloutPercentage: 10 },
  };
}
