import { refusalUnless, type Refused, type Requester } from '../../roles/requester.js';
import { can } from '../../roles/roles.js';
import { listSources } from '../sources.repository.js';
import type { SourceOperationsDeps } from './deps.js';
import { listedSource, type ListedSource } from './listed-source.js';
import type { NotFound } from './outcome.js';

/** Sources carry secrets and decide what reaches the alerts: only admins create, rotate or delete them. */
export function adminRefusal(deps: Pick<SourceOperationsDeps, 'db'>, requester: Requester): Promise<Refused | undefined> {
  return refusalUnless(deps.db, requester, can.administer);
}

/**
 * A live source of the requester's organization, after the role check, so refusals come first. Looked up among
 * the organization's own (a handful), so another organization's id is not found, whatever it is.
 */
export async function manageableSource(
  deps: Pick<SourceOperationsDeps, 'db' | 'publicUrl' | 'sources'>,
  requester: Requester,
  id: string,
): Promise<{ kind: 'found'; source: ListedSource } | Refused | NotFound> {
  const refused = await adminRefusal(deps, requester);
  if (refused) return refused;
  const source = (await listSources(deps.db, requester.organizationId)).find((s) => s.id === id);
  return source ? { kind: 'found', source: listedSource(deps, source) } : { kind: 'not-found' };
}
