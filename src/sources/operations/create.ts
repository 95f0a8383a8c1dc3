import { upsertOrganization } from '../../organizations/organizations.repository.js';
import { createSource } from '../sources.repository.js';
import { adminRefusal } from './access.js';
import type { SourceOperationsDeps } from './deps.js';
import { generateSecret } from './generate-secret.js';
import { listedSource } from './listed-source.js';
import type { CreateOutcome, Requester } from './outcome.js';
import { checkSourceForm, type SourceForm } from './source-form.js';

/**
 * Connects a flag platform: its URL, its secret (generated where the platform lets the admin choose one) and the
 * platform's setup steps for that URL. `newOrganization`: the CLI's Slack team not seen yet, created once the form passed.
 */
export async function createSourceAs(
  deps: SourceOperationsDeps,
  requester: Requester,
  form: SourceForm,
  options: { newOrganization?: { name: string } } = {},
): Promise<CreateOutcome> {
  const refused = await adminRefusal(deps, requester);
  if (refused) return refused;
  const checked = checkSourceForm(deps.sources, form);
  if (!checked.ok) return { kind: 'invalid', error: checked.error };
  const { platform, name } = checked;
  const now = deps.now();
  if (options.newOrganization) await upsertOrganization(deps.db, { id: requester.organizationId, name: options.newOrganization.name, enterpriseId: null }, now);
  const secret = checked.secret ?? generateSecret();
  const created = await createSource(deps.db, deps.box, { organizationId: requester.organizationId, kind: platform.kind, name, secret }, now);
  const source = listedSource(deps, created);
  return { kind: 'created', source, secret, generated: checked.secret === undefined, setupSteps: platform.setupSteps(source.url) };
}
