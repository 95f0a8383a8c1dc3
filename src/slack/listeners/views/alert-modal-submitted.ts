import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import { createAlertAs, editAlertAs } from '../../../alerts/operations/save.js';
import { draftFromState, errorsToBlocks, formOfDraft, parseMeta } from '../../views/alert-draft.js';
import { BLOCK } from '../../views/ids.js';
import { noticeModal } from '../../views/messages.js';
import { organizationOf, refusedAnswer, requesterOf } from '../actions/alert-access.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * The create/edit modal was submitted. The operation runs BEFORE ack, so errors can still show inline
 * on their fields; it checks the role again (a submission can be hand-made). The Home tab refresh is awaited after ack.
 */
export function alertModalSubmitted(deps: AppDeps, ops: AlertOperationsDeps) {
  return async ({ ack, body, view, context }: Args) => {
    const meta = parseMeta(view.private_metadata);
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [BLOCK.name]: message } });
    const requester = await requesterOf(deps, organizationOf(context), body.user.id);
    const form = formOfDraft(draftFromState(view.state.values, meta));
    const outcome = meta.mode === 'edit' ? await editAlertAs(ops, requester, meta.alertId, form) : await createAlertAs(ops, requester, form);
    switch (outcome.kind) {
      case 'refused':
        return refuse(refusedAnswer(outcome, meta.mode === 'edit' ? 'edit alerts' : 'create alerts').text);
      case 'not-found':
        return refuse('This alert no longer exists in this workspace.');
      case 'invalid':
        return ack({ response_action: 'errors', errors: errorsToBlocks(outcome.errors, meta) });
      case 'saved':
        if (outcome.notice)
          await ack({ response_action: 'update', view: noticeModal('Alert saved', `*${outcome.alert.name}* is saved and waiting.\n${outcome.notice}`) });
        else await ack();
        return outcome.refreshed;
    }
  };
}
