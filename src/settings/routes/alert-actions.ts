import type { Router } from 'express';
import { findAlert } from '../../alerts/alerts.repository.js';
import { deleteAlertAs } from '../../alerts/operations/delete.js';
import type { ChangeOutcome, ResumeOutcome, TestOutcome } from '../../alerts/operations/outcome.js';
import { pauseAlertAs, resumeAlertAs } from '../../alerts/operations/pause-resume.js';
import { sendTestAs } from '../../alerts/operations/send-test.js';
import { can } from '../../roles/roles.js';
import { listDeliveriesForAlert, retryDelivery } from '../../delivery/deliveries.repository.js';
import { alertLogView } from '../views/alert-log-view.js';
import { messageView } from '../views/sign-in-view.js';
import { noticeOf } from './dashboard.js';
import { authorizePost, headerOf, idParam, refuse, requesterOf, requireOrgViewer, type SettingsContext } from './viewer.js';

const LOG_LIMIT = 50;

const OPERATIONS = { pause: pauseAlertAs, resume: resumeAlertAs, delete: deleteAlertAs, test: sendTestAs } as const;

/** Pause, resume, send test, delete (the operations Slack runs too); the delivery log with Retry. */
export function registerAlertActions(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  router.get('/alerts/:id', async (req, res) => {
    const viewer = await requireOrgViewer(ctx, req, res);
    if (!viewer) return;
    const id = idParam(req);
    const alert = id === undefined ? undefined : await findAlert(deps.db, viewer.org.id, id);
    if (!alert) return refuse(res, 404, 'There is no such alert.');
    const deliveries = await listDeliveriesForAlert(deps.db, viewer.org.id, alert.id, LOG_LIMIT);
    res.type('html').send(
      alertLogView({
        header: headerOf(viewer),
        alert,
        deliveries,
        retentionDays: deps.config.retentionDays,
        canManage: can.manageAlerts(viewer.role),
        notice: noticeOf(req.query.notice),
      }),
    );
  });

  for (const op of ['pause', 'resume', 'delete', 'test'] as const) {
    router.post(`/alerts/:id/${op}`, async (req, res) => {
      // CSRF and the organization here; what the role allows is the operation's to say.
      const viewer = await authorizePost(ctx, req, res, () => true);
      if (!viewer) return;
      const outcome: ChangeOutcome | ResumeOutcome | TestOutcome = await OPERATIONS[op](ctx.alertOps, requesterOf(viewer), idParam(req));
      switch (outcome.kind) {
        case 'refused':
          return refuse(res, 403, 'Your role does not allow this.');
        case 'not-found':
          return refuse(res, 404, 'There is no such alert.');
        case 'queued':
        case 'gone':
          return void res.redirect(303, `/settings/alerts/${outcome.alert.id}?notice=test-queued`);
        case 'already-pending':
          return void res.redirect(303, `/settings/alerts/${outcome.alert.id}?notice=test-pending`);
        case 'too-many':
          return void res
            .status(429)
            .set('Retry-After', String(outcome.retryAfterSeconds))
            .type('html')
            .send(
              messageView('Too many tests', `You asked for many tests just now: try again in ${outcome.retryAfterSeconds} s.`, backToAlert(outcome.alert.id)),
            );
        case 'waiting':
          return void res.redirect(303, '/settings?notice=alert-resumed-waiting');
        case 'done':
          return void res.redirect(303, `/settings?notice=${op === 'delete' ? 'alert-deleted' : op === 'pause' ? 'alert-paused' : 'alert-resumed'}`);
      }
    });
  }

  // The alert is in the path so the answer can lead back to its log; both ids are checked against the organization.
  router.post('/alerts/:alertId/deliveries/:id/retry', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.manageAlerts);
    if (!viewer) return;
    const id = idParam(req);
    const alertId = idParam(req, 'alertId');
    const alert = alertId === undefined ? undefined : await findAlert(deps.db, viewer.org.id, alertId);
    if (!alert || id === undefined || !(await retryDelivery(deps, viewer.org.id, id))) return refuse(res, 404, 'There is no such dead delivery to retry.');
    res.redirect(303, `/settings/alerts/${alert.id}?notice=retry-queued`);
  });
}

function backToAlert(id: number): { href: string; label: string } {
  return { href: `/settings/alerts/${id}`, label: 'Back to the alert' };
}
