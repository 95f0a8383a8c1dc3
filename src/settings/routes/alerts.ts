import type { Request, Response, Router } from 'express';
import type { AlertFormErrors } from '../../alerts/alert-form.js';
import { findAlert } from '../../alerts/alerts.repository.js';
import { createAlertAs, editAlertAs } from '../../alerts/operations/save.js';
import { listProjects } from '../../catalog/catalog.repository.js';
import { findLiveInstallation } from '../../installations/installations.repository.js';
import type { Organization } from '../../organizations/organizations.repository.js';
import { can } from '../../roles/roles.js';
import { alertFormView, EMPTY_ALERT_FORM, type AlertFormValues } from '../views/alert-form-view.js';
import { alertFormOf, formValuesOf, formValuesOfAlert } from './alert-form.js';
import { authorizePost, headerOf, idParam, refuse, requesterOf, requireOrgViewer, type SettingsContext, type Viewer } from './viewer.js';

/** Create and edit alerts: the operations the Slack modal runs, with the same validation. */
export function registerAlerts(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  async function showForm(
    res: Response,
    viewer: Viewer & { org: Organization },
    input: { editingId?: number; values: AlertFormValues; errors?: AlertFormErrors; hasSigningKey?: boolean; status?: 200 | 400 },
  ): Promise<void> {
    const [installation, projects] = await Promise.all([findLiveInstallation(deps.db, viewer.org.id), listProjects(deps.db, viewer.org.id)]);
    res
      .status(input.status ?? 200)
      .type('html')
      .send(
        alertFormView({
          header: headerOf(viewer),
          editingId: input.editingId,
          values: input.values,
          errors: input.errors ?? {},
          slackAvailable: deps.slack !== undefined && installation !== undefined,
          projects,
          hasSigningKey: input.hasSigningKey ?? false,
        }),
      );
  }

  async function pageViewer(req: Request, res: Response) {
    const viewer = await requireOrgViewer(ctx, req, res);
    if (viewer && !can.manageAlerts(viewer.role)) {
      refuse(res, 403, 'Your role does not allow this.');
      return undefined;
    }
    return viewer;
  }

  router.get('/alerts/new', async (req, res) => {
    const viewer = await pageViewer(req, res);
    if (viewer) await showForm(res, viewer, { values: EMPTY_ALERT_FORM });
  });

  router.get('/alerts/:id/edit', async (req, res) => {
    const viewer = await pageViewer(req, res);
    if (!viewer) return;
    const id = idParam(req);
    const alert = id === undefined ? undefined : await findAlert(deps.db, viewer.org.id, id);
    if (!alert) return refuse(res, 404, 'There is no such alert.');
    await showForm(res, viewer, { editingId: alert.id, values: formValuesOfAlert(alert), hasSigningKey: alert.destination.type === 'webhook' });
  });

  /** One path for create and edit: the operation stores it, or the form shows again with the errors inline. */
  async function save(req: Request, res: Response, editingId: number | undefined): Promise<void> {
    // CSRF and the organization here; what the role allows is the operation's to say.
    const viewer = await authorizePost(ctx, req, res, () => true);
    if (!viewer) return;
    const values = formValuesOf(req);
    const requester = requesterOf(viewer);
    const outcome =
      editingId === undefined
        ? await createAlertAs(ctx.alertOps, requester, alertFormOf(values))
        : await editAlertAs(ctx.alertOps, requester, editingId, alertFormOf(values));
    switch (outcome.kind) {
      case 'refused':
        return refuse(res, 403, 'Your role does not allow this.');
      case 'not-found':
        return refuse(res, 404, 'There is no such alert.');
      case 'invalid': {
        // The stored key is never shown; the form only says there is one.
        const hasSigningKey = editingId !== undefined && (await findAlert(deps.db, viewer.org.id, editingId))?.destination.type === 'webhook';
        return showForm(res, viewer, { ...(editingId === undefined ? {} : { editingId }), values, errors: outcome.errors, hasSigningKey, status: 400 });
      }
      case 'saved':
        await outcome.refreshed;
        if (editingId !== undefined) return void res.redirect(303, '/settings?notice=alert-saved');
        return void res.redirect(303, `/settings?notice=${outcome.alert.status === 'waiting' ? 'alert-waiting' : 'alert-created'}`);
    }
  }

  router.post('/alerts', (req, res) => save(req, res, undefined));
  router.post('/alerts/:id', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return refuse(res, 404, 'There is no such alert.');
    await save(req, res, id);
  });
}
