import type { AppDeps } from '../../../app-deps.js';
import { listDeployments, listProjects, listTags } from '../../../catalog/catalog.repository.js';
import { expandShortForm, resolveCatalogId } from '../../../catalog/catalog-values.js';
import type { AlertDraft } from '../../views/alert-draft.js';
import type { ModalCatalog } from '../../views/alert-modal.js';

/**
 * The catalog choices for the modal as it stands (deployments and tags of the chosen project), and the draft with
 * the short forms of long entries (option values) read back into what they name, so the next view shows them.
 */
export async function modalState(deps: AppDeps, organizationId: string, draft: AlertDraft): Promise<{ draft: AlertDraft; catalog: ModalCatalog }> {
  const projects = await listProjects(deps.db, organizationId);
  const projectIds = projects.map((p) => p.projectId);
  const projectId = resolveCatalogId(draft.projectId, projectIds);
  const [deployments, tags] = await Promise.all([
    projectId === undefined || draft.scope !== 'deployment' ? [] : listDeployments(deps.db, organizationId, projectId),
    projectId === undefined || draft.scope !== 'tag' ? [] : listTags(deps.db, organizationId, projectId),
  ]);
  const resolved: AlertDraft = {
    ...draft,
    projectId: expandShortForm(draft.projectId, projectIds),
    deploymentId: expandShortForm(
      draft.deploymentId,
      deployments.map((d) => d.deploymentId),
    ),
    tags: draft.tags.map((t) => expandShortForm(t, tags)),
  };
  return { draft: resolved, catalog: { projects, deployments, tags } };
}
