import { deploymentIdOf } from '../flag-change/deployments.js';
import type { DeploymentRef, FlagChange, FlagId, ProjectRef } from '../flag-change/model.js';
import { catalogKey, emptyCatalogEntries, type CatalogEntries } from './catalog.repository.js';

/**
 * The projects (with names), deployments (with labels) and tags that changes name, in `flag` and `oldFlag`, and the
 * environments sources tied changes to (their deployments). Later changes win.
 */
export function collectCatalogEntries(
  changes: Iterable<FlagChange & ProjectRef>,
  environments: Iterable<{ projectId: FlagId; ref: DeploymentRef }> = [],
): CatalogEntries {
  const entries = emptyCatalogEntries();
  for (const change of changes) {
    const { projectId } = change;
    entries.projects.set(projectId, change.projectName ?? entries.projects.get(projectId) ?? null);
    for (const flag of [change.oldFlag, change.flag]) {
      for (const ref of flag?.deployments ?? []) addDeployment(entries, projectId, ref);
      for (const tag of flag?.tags ?? []) entries.tags.set(catalogKey(projectId, tag), { projectId, tag });
    }
  }
  for (const { projectId, ref } of environments) addDeployment(entries, projectId, ref);
  return entries;
}

function addDeployment(entries: CatalogEntries, projectId: FlagId, ref: DeploymentRef): void {
  const deploymentId = deploymentIdOf(ref);
  const key = catalogKey(projectId, deploymentId);
  const label = typeof ref === 'object' ? (ref.label ?? null) : null;
  const known = entries.deployments.get(key);
  entries.deployments.set(key, { projectId, deploymentId, label: label ?? known?.label ?? null });
}
