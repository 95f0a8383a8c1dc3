import type { AppDeps } from '../../../app-deps.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import { deleteAlertAs } from '../../../alerts/operations/delete.js';
import type { Requester } from '../../../alerts/operations/outcome.js';
import { pauseAlertAs, resumeAlertAs } from '../../../alerts/operations/pause-resume.js';
import { sendTestAs } from '../../../alerts/operations/send-test.js';
import type { Alert } from '../../../alerts/alert.js';
import { escapeMrkdwn } from '../../../formatting/mrkdwn.js';
import type { Answer } from '../../views/messages.js';
import { alertIdOf, notFoundFor, refusedAnswer, requesterOf } from './alert-access.js';

export type AlertOperation = 'pause' | 'resume' | 'test' | 'delete';

export interface OperationResult {
  ok: boolean;
  answer: Answer;
}

const VERB: Record<AlertOperation, string> = { pause: 'pause alerts', resume: 'resume alerts', test: 'send test notifications', delete: 'delete alerts' };

/** Pause, resume, test or delete one alert, the same from the command and from buttons: the operation, said in Slack. */
export async function runAlertOperation(
  deps: AppDeps,
  ops: AlertOperationsDeps,
  organizationId: string,
  userId: string,
  op: AlertOperation,
  idText: string | undefined,
): Promise<OperationResult> {
  const requester = await requesterOf(deps, organizationId, userId);
  const outcome = await operate(ops, requester, op, alertIdOf(idText));
  switch (outcome.kind) {
    case 'refused':
      return { ok: false, answer: refusedAnswer(outcome, VERB[op]) };
    case 'not-found':
      return { ok: false, answer: notFoundFor(idText) };
    case 'gone':
      return { ok: false, answer: { text: `Alert ${labelOf(outcome.alert)} is gone; nothing was sent.` } };
    case 'already-pending':
      return {
        ok: false,
        answer: { text: `A test for alert ${labelOf(outcome.alert)} is already on its way; nothing more was queued. Its status shows on the Home tab.` },
      };
    case 'too-many':
      return { ok: false, answer: { text: `You asked for many tests just now: try again in ${outcome.retryAfterSeconds} s.` } };
    case 'queued': {
      const { alert } = outcome;
      const where = alert.destination.type === 'slack' ? `<#${alert.destination.channelId}>` : 'its webhook';
      return { ok: true, answer: { text: `Sending a test notification for alert ${labelOf(alert)} to ${where}. Its status shows on the Home tab.` } };
    }
    case 'waiting':
      return { ok: true, answer: { text: `Resumed alert ${labelOf(outcome.alert)}, but it waits: ${outcome.hint}` } };
    case 'done':
      return { ok: true, answer: { text: doneText(op, outcome.alert) } };
  }
}

function operate(ops: AlertOperationsDeps, requester: Requester, op: AlertOperation, alertId: number | undefined) {
  switch (op) {
    case 'pause':
      return pauseAlertAs(ops, requester, alertId);
    case 'resume':
      return resumeAlertAs(ops, requester, alertId);
    case 'test':
      return sendTestAs(ops, requester, alertId);
    case 'delete':
      return deleteAlertAs(ops, requester, alertId);
  }
}

function doneText(op: AlertOperation, alert: Alert): string {
  const label = labelOf(alert);
  if (op === 'pause') return `Paused alert ${label}. \`/flag-alert resume ${alert.id}\` starts it again.`;
  if (op === 'delete') return `Deleted alert ${label}.`;
  return `Resumed alert ${label}.`;
}

function labelOf(alert: Alert): string {
  return `#${alert.id} "${escapeMrkdwn(alert.name)}"`;
}
