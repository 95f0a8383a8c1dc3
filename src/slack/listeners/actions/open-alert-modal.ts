import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { draftOfAlert, emptyDraft, type ModalMeta } from '../../views/alert-draft.js';
import { buildAlertModal } from '../../views/alert-modal.js';
import { noticeModal } from '../../views/messages.js';
import { modalCatalog } from '../views/modal-catalog.js';
import { alertOf, gate, organizationOf } from './alert-access.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Home tab "Create alert" and "Edit": opens the modal, or says why not in a small modal. */
export function openAlertModal(deps: AppDeps, mode: 'create' | 'edit') {
  return async ({ ack, body, action, client, context }: Args) => {
    await ack();
    const organizationId = organizationOf(context);
    const open = (view: Parameters<typeof client.views.open>[0]['view']) => client.views.open({ trigger_id: body.trigger_id, view });
    const allowed = await gate(deps, organizationId, body.user.id, 'manageAlerts', mode === 'edit' ? 'edit alerts' : 'create alerts');
    if (!allowed.ok) return void (await open(noticeModal('Not allowed', allowed.answer.text)));
    let meta: ModalMeta = { mode: 'create' };
    let draft = emptyDraft();
    if (mode === 'edit') {
      const found = await alertOf(deps, organizationId, action.value);
      if (!found.ok) return void (await open(noticeModal('Alert not found', found.answer.text)));
      meta = { mode: 'edit', alertId: found.alert.id, hasStoredKey: found.alert.destination.type === 'webhook' };
      draft = draftOfAlert(found.alert);
    }
    await open(buildAlertModal({ meta, draft, catalog: await modalCatalog(deps, organizationId, draft) }));
  };
}
