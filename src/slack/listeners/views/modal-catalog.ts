import type { AppDeps } from '../../../app-deps.js';
import { listDeployments, listProjects, listTags } from '../../../catalog/catalog.repository.js';
import type { AlertDraft } from '../../views/alert-draft.js';
import type { ModalCatalog } from '../../views/alert-modal.js';

/** The catalog choices for the modal as it stands: deployments and tags of the chosen project. */
export async function modalCatalog(deps: AppDeps, organizationId: string, draft: AlertDraft): Promise<ModalCatalog> {
  const projectId = /^\d{1,15}$/.test(draft.projectId.trim()) ? Number(draft.projectId.trim()) : undefined;
  const [projects, deployments, tags] = await Promise.all([
    listProjects(deps.db, organizationId),
    projectId === undefined || draft.scope !== 'deployment' ? [] : listDeployments(deps.db, organizationId, projectId),
    projectId === undefined || draft.scope !== 'tag' ? [] : listTags(deps.db, organizationId, projectId),
  ]);
  return { projects, deployments, tags };
}
