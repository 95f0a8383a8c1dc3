import { deleteSource } from '../sources.repository.js';
import { manageableSource } from './access.js';
import type { SourceOperationsDeps } from './deps.js';
import type { DeleteOutcome, Requester } from './outcome.js';

/** Deletes a source: its URL answers 404 from then on in this app, within SOURCE_CACHE_MS elsewhere (the webhook in the platform is the admin's to remove). */
export async function deleteSourceAs(
  deps: Pick<SourceOperationsDeps, 'db' | 'publicUrl' | 'sources' | 'now' | 'knownSources'>,
  requester: Requester,
  id: string,
): Promise<DeleteOutcome> {
  const found = await manageableSource(deps, requester, id);
  if (found.kind !== 'found') return found;
  if (!(await deleteSource(deps.db, deps.knownSources, found.source.id, deps.now()))) return { kind: 'not-found' };
  return { kind: 'deleted', source: found.source };
}
