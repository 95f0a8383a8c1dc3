import type { AppDeps } from '../../../app-deps.js';
import { deleteAlert, setAlertStatus } from '../../../alerts/alerts.repository.js';
import { checkChannelAccess } from '../../api/channel-access.js';
import { enqueueTestDelivery } from '../../../delivery/deliveries.repository.js';
import { republishHome } from '../../home/publish-home.js';
import { escapeMrkdwn } from '../../views/home-view.js';
import type { Answer } from '../../views/messages.js';
import { alertOf, gate } from './alert-access.js';

export type AlertOperation = 'pause' | 'resume' | 'test' | 'delete';

export interface OperationResult {
  ok: boolean;
  answer: Answer;
}

const VERB: Record<AlertOperation, string> = { pause: 'pause alerts', resume: 'resume alerts', test: 'send test notifications', delete: 'delete alerts' };

/**
 * Pause, resume, test or delete one alert, the same from the command and from buttons: role checked,
 * the alert looked up in the requester's organization only, every Home tab republished after a change.
 */
export async function runAlertOperation(deps: AppDeps, organizationId: string, userId: string, op: AlertOperation, idText: string | undefined): Promise<OperationResult> {
  const allowed = await gate(deps, organizationId, userId, 'manageAlerts', VERB[op]);
  if (!allowed.ok) return { ok: false, answer: allowed.answer };
  const found = await alertOf(deps, organizationId, idText);
  if (!found.ok) return { ok: false, answer: found.answer };
  const { alert } = found;
  const label = `#${alert.id} "${escapeMrkdwn(alert.name)}"`;
  let text: string;
  switch (op) {
    case 'pause':
      await setAlertStatus(deps.db, organizationId, alert.id, 'paused', null, deps.now());
      text = `Paused alert ${label}. \`/flag-alert resume ${alert.id}\` starts it again.`;
      break;
    case 'resume': {
      // A channel the bot still cannot post in makes the alert wait, not fail on the next change.
      const access = alert.destination.type === 'slack' ? await checkChannelAccess(deps, organizationId, alert.destination.channelId) : undefined;
      const waiting = access !== undefined && !access.canPost;
      await setAlertStatus(deps.db, organizationId, alert.id, waiting ? 'waiting' : 'active', null, deps.now());
      text = waiting ? `Resumed alert ${label}, but it waits: ${access.hint}` : `Resumed alert ${label}.`;
      break;
    }
    case 'delete':
      await deleteAlert(deps.db, organizationId, alert.id);
      text = `Deleted alert ${label}.`;
      break;
    case 'test': {
      const queued = await enqueueTestDelivery(deps, { organizationId, alertId: alert.id, requestedBy: userId });
      if (!queued) return { ok: false, answer: { text: `Alert ${label} is gone; nothing was sent.` } };
      const where = alert.destination.type === 'slack' ? `<#${alert.destination.channelId}>` : 'its webhook';
      return { ok: true, answer: { text: `Sending a test notification for alert ${label} to ${where}. Its status shows on the Home tab.` } };
    }
  }
  await republishHome(deps, organizationId);
  return { ok: true, answer: { text } };
}
