import type { Alert } from '../alerts/alert.js';
import type { FlagEvent, FlagSnapshot } from '../ingest/flag-event.schema.js';
import { deploymentIdOf } from '../matching/flag-change.js';

export type DeploymentRef = NonNullable<FlagSnapshot['deployments']>[number];

/**
 * Labels known for this change. The alert's own label wins (it is what the person picked when making the alert),
 * then the new snapshot's, then the old one's.
 */
export function deploymentLabels(change: { event: FlagEvent; alert: Pick<Alert, 'scope'> }): Map<number, string> {
  const labels = new Map<number, string>();
  for (const ref of [...(change.event.oldFlag?.deployments ?? []), ...(change.event.flag?.deployments ?? [])]) {
    if (typeof ref !== 'number' && ref.label) labels.set(ref.id, ref.label);
  }
  const scope = change.alert.scope;
  if (scope.type === 'deployment' && scope.deploymentLabel) labels.set(scope.deploymentId, scope.deploymentLabel);
  return labels;
}

/** Raw (unescaped) name of a deployment: its label, or its id when none is known. */
export function deploymentName(id: number, labels: ReadonlyMap<number, string>): string {
  return labels.get(id) ?? String(id);
}

export function deploymentIds(refs: readonly DeploymentRef[] | null | undefined): number[] {
  return [...new Set((refs ?? []).map(deploymentIdOf))];
}
