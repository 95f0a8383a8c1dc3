import { findLiveInstallation } from '../../installations/installations.repository.js';
import type { Alert } from '../alert.js';
import { validateAlertForm, type AlertForm, type AlertFormResult } from '../alert-form.js';
import { createAlert, updateAlert } from '../alerts.repository.js';
import { manageableAlert, refusalOf } from './access.js';
import type { AlertOperationsDeps } from './deps.js';
import type { Requester, SaveOutcome } from './outcome.js';

/** Creates an alert from a form; it waits when the bot cannot post in its channel yet. */
export async function createAlertAs(deps: AlertOperationsDeps, requester: Requester, form: AlertForm): Promise<SaveOutcome> {
  const refused = await refusalOf(deps, requester);
  if (refused) return refused;
  const result = await checkForm(deps, requester.organizationId, form, undefined);
  if (!result.ok) return { kind: 'invalid', errors: result.errors };
  const saved = await createAlert(
    deps.db,
    deps.box,
    { organizationId: requester.organizationId, createdBy: requester.actor, alert: result.alert, status: result.status },
    deps.now(),
  );
  return savedOutcome(deps, saved, result.notice);
}

/** Replaces an alert's settings. A paused alert stays paused; any other status starts over, since the edit may be the fix. */
export async function editAlertAs(deps: AlertOperationsDeps, requester: Requester, alertId: number | undefined, form: AlertForm): Promise<SaveOutcome> {
  const found = await manageableAlert(deps, requester, alertId);
  if (found.kind !== 'found') return found;
  const existing = found.alert;
  const result = await checkForm(deps, requester.organizationId, form, existing);
  if (!result.ok) return { kind: 'invalid', errors: result.errors };
  const status = existing.status === 'paused' ? {} : { status: result.status };
  const saved = await updateAlert(
    deps.db,
    deps.box,
    { organizationId: requester.organizationId, id: existing.id, alert: result.alert, keepSigningKey: result.keepSigningKey, ...status },
    deps.now(),
  );
  if (!saved) return { kind: 'not-found' };
  return savedOutcome(deps, saved, result.notice);
}

/** The form's rules, plus one of the organization: without a live Slack installation there are no channels to post in. */
async function checkForm(deps: AlertOperationsDeps, organizationId: string, form: AlertForm, editing: Alert | undefined): Promise<AlertFormResult> {
  if (form.destination === 'slack' && !(deps.slack && (await findLiveInstallation(deps.db, organizationId)))) {
    return { ok: false, errors: { destination: 'Connect Slack first, or choose Webhook.' } };
  }
  return validateAlertForm(deps, organizationId, form, editing ? { editingId: editing.id } : {});
}

function savedOutcome(deps: AlertOperationsDeps, alert: Alert, notice: string | undefined): SaveOutcome {
  return { kind: 'saved', alert, ...(notice ? { notice } : {}), refreshed: deps.alertsChanged(alert.organizationId) };
}
