import type { Kysely } from 'kysely';
import { refusalUnless } from '../../roles/requester.js';
import { can } from '../../roles/roles.js';
import type { Database } from '../../storage/schema.js';
import type { Alert } from '../alert.js';
import { findAlert } from '../alerts.repository.js';
import type { NotFound, Refused, Requester } from './outcome.js';

/** Every operation asks this first; a surface hiding a button is not enough. undefined: allowed. */
export async function refusalOf(deps: { db: Kysely<Database> }, requester: Requester): Promise<Refused | undefined> {
  return refusalUnless(deps.db, requester, can.manageAlerts);
}

/**
 * An alert the requester may change, looked up in their organization only. `alertId` is undefined when
 * the request named no valid id: that is not found too, after the role check, so refusals come first.
 */
export async function manageableAlert(
  deps: { db: Kysely<Database> },
  requester: Requester,
  alertId: number | undefined,
): Promise<{ kind: 'found'; alert: Alert } | Refused | NotFound> {
  const refused = await refusalOf(deps, requester);
  if (refused) return refused;
  const alert = alertId === undefined ? undefined : await findAlert(deps.db, requester.organizationId, alertId);
  return alert ? { kind: 'found', alert } : { kind: 'not-found' };
}
