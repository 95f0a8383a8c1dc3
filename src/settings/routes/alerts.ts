import type { Request, Response, Router } from 'express';
import type { AlertFormErrors } from '../../alerts/alert-form.js';
import { validateAlertForm } from '../../alerts/alert-form.js';
import { createAlert, findAlert, updateAlert } from '../../alerts/alerts.repository.js';
import { listProjects } from '../../catalog/catalog.repository.js';
import { findLiveInstallation } from '../../installations/installations.repository.js';
import type { Organization } from '../../organizations/organizations.repository.js';
import { can } from '../../roles/roles.js';
import { alertFormView, EMPTY_ALERT_FORM, type AlertFormValues } from '../views/alert-form-view.js';
import { alertFormOf, formValuesOf, formValuesOfAlert } from './alert-form.js';
import { authorizePost, headerOf, idParam, refuse, requireOrgViewer, type SettingsContext, type Viewer } from './viewer.js';

/** Create and edit alerts with the modal's validation (validateAlertForm). */
export function registerAlerts(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;

  async function showForm(
    res: Response,
    viewer: Viewer & { org: Organization },
    input: { editingId?: number; values: AlertFormValues; errors?: AlertFormErrors; hasSigningKey?: boolean; status?: 200 | 400 },
  ): Promise<void> {
    const [installation, projects] = await Promise.all([findLiveInstallation(deps.db, viewer.org.id), listProjects(deps.db, viewer.org.id)]);
    res.status(input.status ?? 200).type('html').send(alertFormView({
      header: headerOf(viewer),
      editingId: input.editingId,
      values: input.values,
      errors: input.errors ?? {},
      slackAvailable: deps.slack !== undefined && installation !== undefined,
      projects,
      hasSigningKey: input.hasSigningKey ?? false,
    }));
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

  /** One path for create and edit: validate like the modal, store, or show the form again with the errors inline. */
  async function save(req: Request, res: Response, editingId: number | undefined): Promise<void> {
    const viewer = await authorizePost(ctx, req, res, can.manageAlerts);
    if (!viewer) return;
    const editing = editingId === undefined ? undefined : await findAlert(deps.db, viewer.org.id, editingId);
    if (editingId !== undefined && !editing) return refuse(res, 404, 'There is no such alert.');
    const values = formValuesOf(req);
    const hasSigningKey = editing?.destination.type === 'webhook';
    // A workspace without Slack has no channels to post in, whatever the form claims.
    if (values.destination === 'slack' && !(deps.slack && (await findLiveInstallation(deps.db, viewer.org.id)))) {
      return showForm(res, viewer, { ...(editingId === undefined ? {} : { editingId }), values, errors: { destination: 'Connect Slack first, or choose Webhook.' }, hasSigningKey, status: 400 });
    }
    const result = await validateAlertForm(deps, viewer.org.id, alertFormOf(values), editingId === undefined ? {} : { editingId });
    if (!result.ok) {
      return showForm(res, viewer, { ...(editingId === undefined ? {} : { editingId }), values, errors: result.errors, hasSigningKey, status: 400 });
    }
    if (editingId === undefined) {
      await createAlert(deps.db, deps.box, { organizationId: viewer.org.id, createdBy: viewer.actor, alert: result.alert, status: result.status }, deps.now());
      return void res.redirect(303, `/settings?notice=${result.status === 'waiting' ? 'alert-waiting' : 'alert-created'}`);
    }
    // An edited alert that was paused stays paused; any other status restarts from the check just made.
    const status = editing?.status === 'paused' ? undefined : result.status;
    await updateAlert(deps.db, deps.box, { organizationId: viewer.org.id, id: editingId, alert: result.alert, keepSigningKey: result.keepSigningKey, ...(status ? { status } : {}) }, deps.now());
    res.redirect(303, '/settings?notice=alert-saved');
  }

  router.post('/alerts', (req, res) => save(req, res, undefined));
  router.post('/alerts/:id', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return refuse(res, 404, 'There is no such alert.');
    await save(req, res, id);
  });
}
