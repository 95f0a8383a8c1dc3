import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { validateAlertForm, type ValidAlertForm } from '../../../alerts/alert-form.js';
import { createAlert, findAlert, updateAlert } from '../../../alerts/alerts.repository.js';
import { republishHome } from '../../home/publish-home.js';
import { draftFromState, errorsToBlocks, formOfDraft, parseMeta, type ModalMeta, type StateValues } from '../../views/alert-draft.js';
import { BLOCK } from '../../views/ids.js';
import { noticeModal } from '../../views/messages.js';
import { gate, organizationOf } from '../actions/alert-access.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * The create/edit modal was submitted. Everything is checked BEFORE ack, so errors can still show
 * inline on their fields; the role is checked again here (a submission can be hand-made).
 */
export function alertModalSubmitted(deps: AppDeps) {
  return async ({ ack, body, view, context }: Args) => {
    const organizationId = organizationOf(context);
    const userId = body.user.id;
    const meta = parseMeta(view.private_metadata);
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [BLOCK.name]: message } });

    const allowed = await gate(deps, organizationId, userId, 'manageAlerts', meta.mode === 'edit' ? 'edit alerts' : 'create alerts');
    if (!allowed.ok) return refuse(allowed.answer.text);
    const existing = meta.mode === 'edit' && meta.alertId !== undefined ? await findAlert(deps.db, organizationId, meta.alertId) : undefined;
    if (meta.mode === 'edit' && !existing) return refuse('This alert no longer exists in this workspace.');

    const draft = draftFromState(view.state.values as StateValues, meta);
    const result = await validateAlertForm(deps, organizationId, formOfDraft(draft), existing ? { editingId: existing.id } : {});
    if (!result.ok) return ack({ response_action: 'errors', errors: errorsToBlocks(result.errors, meta) });

    const saved = await save(deps, organizationId, userId, meta, result, existing?.status === 'paused');
    if (!saved) return refuse('This alert no longer exists in this workspace.');
    if (result.notice) {
      await ack({ response_action: 'update', view: noticeModal('Alert saved', `*${saved.name}* is saved and waiting.\n${result.notice}`) });
    } else {
      await ack();
    }
    await republishHome(deps, organizationId);
  };
}

async function save(deps: AppDeps, organizationId: string, userId: string, meta: ModalMeta, result: ValidAlertForm, paused: boolean) {
  if (meta.mode === 'edit' && meta.alertId !== undefined) {
    // A paused alert stays paused; any other status starts over, since the edit may be the fix.
    return updateAlert(
      deps.db, deps.box,
      { organizationId, id: meta.alertId, alert: result.alert, keepSigningKey: result.keepSigningKey, ...(paused ? {} : { status: result.status }) },
      deps.now(),
    );
  }
  return createAlert(deps.db, deps.box, { organizationId, createdBy: userId, alert: result.alert, status: result.status }, deps.now());
}
