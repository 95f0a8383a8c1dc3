import { rotateSourceSecret } from '../sources.repository.js';
import { manageableSource } from './access.js';
import type { SourceOperationsDeps } from './deps.js';
import { generateSecret } from './generate-secret.js';
import type { Requester, RotateOutcome } from './outcome.js';
import { checkSecret } from './source-form.js';

/**
 * Replaces a source's secret at once: deliveries signed with the old one are refused from then on by this app, within
 * SOURCE_CACHE_MS by other running instances. A new one is
 * generated where the platform lets the admin choose it; where the platform makes it, the admin pastes the new one.
 */
export async function rotateSourceAs(deps: SourceOperationsDeps, requester: Requester, id: string, given: string | undefined): Promise<RotateOutcome> {
  const found = await manageableSource(deps, requester, id);
  if (found.kind !== 'found') return found;
  const { source } = found;
  const checked = checkSecret(given);
  if (!checked.ok) return { kind: 'invalid', error: checked.error, source };
  if (checked.secret === undefined && source.secretFromPlatform) {
    const { label } = source;
    const reason = (f: string) => `${f} is required to rotate a ${label} source: make a new secret in ${label} and paste it here`;
    return { kind: 'invalid', error: { field: 'secret', reason }, source };
  }
  const secret = checked.secret ?? generateSecret();
  if (!(await rotateSourceSecret(deps.db, deps.box, deps.knownSources, source.id, secret, deps.now()))) return { kind: 'not-found' };
  return { kind: 'rotated', source, secret, generated: checked.secret === undefined };
}
