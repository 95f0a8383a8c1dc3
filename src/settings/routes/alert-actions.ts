import type { Router } from 'express';
import { deleteAlert, findAlert, setAlertStatus } from '../../alerts/alerts.repository.js';
import { can } from '../../roles/roles.js';
import { republishHome } from '../../slack/home/publish-home.js';
import { enqueueTestDelivery, listDeliveriesForAlert, retryDelivery } from '../../delivery/deliveries.repository.js';
import { alertLogView } from '../views/alert-log-view.js';
import { noticeOf } from './dashboard.js';
import { authorizePost, headerOf, idParam, refuse, requireOrgViewer, type SettingsContext } from './viewer.js';

const LOG_LIMIT = 50;

/** Pause, resume, send test, delete; the delivery log with Retry. The same role rule as Slack: members and admins. */
export function registerAlertActions(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  router.get('/alerts/:id', async (req, res) => {
    const viewer = await requireOrgViewer(ctx, req, res);
    if (!viewer) return;
    const id = idParam(req);
    const alert = id === undefined ? undefined : await findAlert(deps.db, viewer.org.id, id);
    if (!alert) return refuse(res, 404, 'There is no such alert.');
    const deliveries = await listDeliveriesForAlert(deps.db, viewer.org.id, alert.id, LOG_LIMIT);
    res.type('html').send(alertLogView({ header: headerOf(viewer), alert, deliveries, canManage: can.manageAlerts(viewer.role), notice: noticeOf(req.query.notice) }));
  });

  for (const op of ['pause', 'resume', 'delete', 'test'] as const) {
    router.post(`/alerts/:id/${op}`, async (req, res) => {
      const viewer = await authorizePost(ctx, req, res, can.manageAlerts);
      if (!viewer) return;
      const id = idParam(req);
      const alert = id === undefined ? undefined : await findAlert(deps.db, viewer.org.id, id);
      if (!alert) return refuse(res, 404, 'There is no such alert.');
      if (op === 'test') {
        await enqueueTestDelivery(deps, { organizationId: viewer.org.id, alertId: alert.id, requestedBy: viewer.actor });
        return void res.redirect(303, `/settings/alerts/${alert.id}?notice=test-queued`);
      }
      if (op === 'delete') await deleteAlert(deps.db, viewer.org.id, alert.id);
      else await setAlertStatus(deps.db, viewer.org.id, alert.id, op === 'pause' ? 'paused' : 'active', null, deps.now());
      // The Home tab shows the same list: keep it in step.
      if (deps.slack) await republishHome(deps, viewer.org.id);
      res.redirect(303, `/settings?notice=${op === 'delete' ? 'alert-deleted' : op === 'pause' ? 'alert-paused' : 'alert-resumed'}`);
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
