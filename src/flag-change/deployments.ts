import type { DeploymentRef, FlagId, FlagState } from './model.js';

export function deploymentIdOf(ref: DeploymentRef): FlagId {
  return typeof ref === 'object' ? ref.id : ref;
}

/** The distinct ids of some references, in first-seen order. */
export function deploymentIds(refs: readonly DeploymentRef[] | null | undefined): FlagId[] {
  return [...new Set((refs ?? []).map(deploymentIdOf))];
}

/** Labels the snapshots give their deployments; a later snapshot's label wins. */
export function deploymentLabelsIn(snapshots: readonly (FlagState | null | undefined)[]): Map<FlagId, string> {
  const labels = new Map<FlagId, string>();
  for (const ref of snapshots.flatMap((s) => s?.deployments ?? [])) {
    if (typeof ref === 'object' && ref.label) labels.set(ref.id, ref.label);
  }
  return labels;
}

/** Raw (unescaped) name of a deployment: its label, or its id when none is known. */
export function deploymentName(id: FlagId, labels: ReadonlyMap<FlagId, string>): string {
  return labels.get(id) ?? String(id);
}
