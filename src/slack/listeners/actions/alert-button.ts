import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import { noticeModal } from '../../views/messages.js';
import { organizationOf } from './alert-access.js';
import { runAlertOperation, type AlertOperation } from './alert-operations.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const TITLE: Record<AlertOperation, string> = { pause: 'Pause alert', resume: 'Resume alert', test: 'Send test', delete: 'Delete alert' };

/**
 * Pause, Resume, Send test and Delete buttons (Home tab, or the command's delete confirmation). On the
 * Home tab the republished tab is the answer, and refusals open a small modal; in a message, the
 * ephemeral message is replaced with the outcome.
 */
export function alertButton(deps: AppDeps, ops: AlertOperationsDeps, op: AlertOperation) {
  return async ({ ack, body, action, client, context, respond, logger }: Args) => {
    await ack();
    const result = await runAlertOperation(deps, ops, organizationOf(context), body.user.id, op, action.value);
    if (body.container?.type === 'message') {
      await respond({ response_type: 'ephemeral', replace_original: true, text: result.answer.text }).catch((error: unknown) => {
        logger.warn(`respond failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return;
    }
    if (!result.ok || op === 'test') await client.views.open({ trigger_id: body.trigger_id, view: noticeModal(TITLE[op], result.answer.text) });
  };
}
