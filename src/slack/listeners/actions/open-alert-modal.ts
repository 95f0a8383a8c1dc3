import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { AppDeps } from '../../../app-deps.js';
import { manageableAlert, refusalOf } from '../../../alerts/operations/access.js';
import type { Refused } from '../../../alerts/operations/outcome.js';
import { draftOfAlert, emptyDraft, type ModalMeta } from '../../views/alert-draft.js';
import { buildAlertModal } from '../../views/alert-modal.js';
import { noticeModal } from '../../views/messages.js';
import { modalState } from '../views/modal-catalog.js';
import { alertIdOf, notFoundFor, organizationOf, refusedAnswer, requesterOf } from './alert-access.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Home tab "Create alert" and "Edit": opens the modal, or says why not in a small modal. */
export function openAlertModal(deps: AppDeps, mode: 'create' | 'edit') {
  return async ({ ack, body, action, client, context }: Args) => {
    await ack();
    const organizationId = organizationOf(context);
    const open = (view: ModalView) => client.views.open({ trigger_id: body.trigger_id, view });
    const requester = await requesterOf(deps, organizationId, body.user.id);
    const notAllowed = (refused: Refused) => open(noticeModal('Not allowed', refusedAnswer(refused, mode === 'edit' ? 'edit alerts' : 'create alerts').text));
    let meta: ModalMeta = { mode: 'create' };
    let draft = emptyDraft();
    if (mode === 'create') {
      const refused = await refusalOf(deps, requester);
      if (refused) return void (await notAllowed(refused));
    } else {
      const found = await manageableAlert(deps, requester, alertIdOf(action.value));
      if (found.kind === 'refused') return void (await notAllowed(found));
      if (found.kind === 'not-found') return void (await open(noticeModal('Alert not found', notFoundFor(action.value).text)));
      meta = { mode: 'edit', alertId: found.alert.id, hasStoredKey: found.alert.destination.type === 'webhook' };
      draft = draftOfAlert(found.alert);
    }
    await open(buildAlertModal({ meta, ...(await modalState(deps, organizationId, draft)) }));
  };
}
