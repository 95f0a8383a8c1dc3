import type { DeploymentRef, FlagState } from './model.js';

export function deploymentIdOf(ref: DeploymentRef): number {
  return typeof ref === 'number' ? ref : ref.id;
}

/** The distinct ids of some references, in first-seen order. */
export function deploymentIds(refs: readonly DeploymentRef[] | null | undefined): number[] {
  return [...new Set((refs ?? []).map(deploymentIdOf))];
}

/** Labels the snapshots give their deployments; a later snapshot's label wins. */
export function deploymentLabelsIn(snapshots: readonly (FlagState | null | undefined)[]): Map<number, string> {
  const labels = new Map<number, string>();
  for (const ref of snapshots.flatMap((s) => s?.deployments ?? [])) {
    if (typeof ref !== 'number' && ref.label) labels.set(ref.id, ref.label);
  }
  return labels;
}

/** Raw (unescaped) name of a deployment: its label, or its id when none is known. */
export function deploymentName(id: number, labels: ReadonlyMap<number, string>): string {
  return labels.get(id) ?? String(id);
}
