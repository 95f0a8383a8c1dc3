import { checkChannelAccess } from '../../slack/api/channel-access.js';
import { setAlertStatus } from '../alerts.repository.js';
import { manageableAlert } from './access.js';
import type { AlertOperationsDeps } from './deps.js';
import type { ChangeOutcome, Requester, ResumeOutcome } from './outcome.js';

/** Stops an alert until someone resumes it. */
export async function pauseAlertAs(deps: AlertOperationsDeps, requester: Requester, alertId: number | undefined): Promise<ChangeOutcome> {
  const found = await manageableAlert(deps, requester, alertId);
  if (found.kind !== 'found') return found;
  await setAlertStatus(deps.db, requester.organizationId, found.alert.id, 'paused', null, deps.now());
  await deps.alertsChanged(requester.organizationId);
  return { kind: 'done', alert: found.alert };
}

/** Starts an alert again; a channel the bot still cannot post in makes it wait, not fail on the next change. */
export async function resumeAlertAs(deps: AlertOperationsDeps, requester: Requester, alertId: number | undefined): Promise<ResumeOutcome> {
  const found = await manageableAlert(deps, requester, alertId);
  if (found.kind !== 'found') return found;
  const { alert } = found;
  const access = alert.destination.type === 'slack' ? await checkChannelAccess(deps, requester.organizationId, alert.destination.channelId) : undefined;
  const waiting = access !== undefined && !access.canPost;
  await setAlertStatus(deps.db, requester.organizationId, alert.id, waiting ? 'waiting' : 'active', null, deps.now());
  await deps.alertsChanged(requester.organizationId);
  return waiting ? { kind: 'waiting', alert, hint: access.hint } : { kind: 'done', alert };
}
