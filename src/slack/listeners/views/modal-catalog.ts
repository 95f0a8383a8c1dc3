import type { AppDeps } from '../../../app-deps.js';
import { listDeployments, listProjects, listTags } from '../../../catalog/catalog.repository.js';
import { parseTypedId, resolveTypedId } from '../../../flag-change/flag-id.js';
import type { AlertDraft } from '../../views/alert-draft.js';
import type { ModalCatalog } from '../../views/alert-modal.js';

/** The catalog choices for the modal as it stands: deployments and tags of the chosen project. */
export async function modalCatalog(deps: AppDeps, organizationId: string, draft: AlertDraft): Promise<ModalCatalog> {
  const projects = await listProjects(deps.db, organizationId);
  const typed = parseTypedId(draft.projectId);
  const projectId =
    typed === undefined
      ? undefined
      : resolveTypedId(
          typed,
          projects.map((p) => p.projectId),
        );
  const [deployments, tags] = await Promise.all([
    projectId === undefined || draft.scope !== 'deployment' ? [] : listDeployments(deps.db, organizationId, projectId),
    projectId === undefined || draft.scope !== 'tag' ? [] : listTags(deps.db, organizationId, projectId),
  ]);
  return { projects, deployments, tags };
}
