import { refusalUnless } from '../../roles/requester.js';
import { can } from '../../roles/roles.js';
import { listSources } from '../sources.repository.js';
import type { SourceOperationsDeps } from './deps.js';
import { listedSource } from './listed-source.js';
import type { ListOutcome, Requester } from './outcome.js';

/** The organization's live sources, oldest first, with their URL and what they received; anyone with a role may look. */
export async function listSourcesAs(deps: Pick<SourceOperationsDeps, 'db' | 'publicUrl' | 'sources'>, requester: Requester): Promise<ListOutcome> {
  const refused = await refusalUnless(deps.db, requester, can.view);
  if (refused) return refused;
  return { kind: 'listed', sources: (await listSources(deps.db, requester.organizationId)).map((s) => listedSource(deps, s)) };
}
