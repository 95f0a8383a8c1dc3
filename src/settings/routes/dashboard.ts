import type { Router } from 'express';
import { listAlerts } from '../../alerts/alerts.repository.js';
import { listProjects } from '../../catalog/catalog.repository.js';
import { listIngestKeys } from '../../ingest-keys/ingest-keys.repository.js';
import { findLiveInstallation } from '../../installations/installations.repository.js';
import { findOrganization } from '../../organizations/organizations.repository.js';
import { can } from '../../roles/roles.js';
import { reminderOffsets, srmThreshold } from '../../experiments/experiments.repository.js';
import { preferencesOf } from '../../experiments/preferences.repository.js';
import { formatReminderHours } from '../reminder-hours.js';
import { dashboardView } from '../views/dashboard-view.js';
import type { PreferenceError, PreferenceValues } from '../views/experiment-notifications-view.js';
import { messageView, signInView } from '../views/sign-in-view.js';
import { headerOf, refuse, setSession, viewerOf, type SettingsContext, type Viewer } from './viewer.js';
import type { Organization } from '../../organizations/organizations.repository.js';

/** Fixed messages after a redirect: the query carries a code, never text, so nothing can be injected. */
export const NOTICES = {
  'alert-created': 'Alert created.',
  'alert-waiting': 'Alert created. It waits until someone invites the app to the channel (/invite @Flag Alerts).',
  'alert-saved': 'Alert saved.',
  'alert-paused': 'Alert paused.',
  'alert-resumed': 'Alert resumed.',
  'alert-resumed-waiting': 'Alert resumed. It waits until someone invites the app to the channel (/invite @Flag Alerts).',
  'alert-deleted': 'Alert deleted.',
  'test-queued': 'Test message queued: watch the delivery log.',
  'test-pending': 'A test is already on its way; nothing more was queued. Watch the delivery log.',
  'key-revoked': 'Ingest key revoked.',
  'source-deleted': 'Source deleted: its URL answers 404 from now on. Remove the webhook in the platform too.',
  'org-created': 'Organization created. Create an ingest key and a webhook alert to start.',
  'slack-disconnected': 'Slack disconnected. Webhook alerts keep working.',
  installed: 'Flag Alerts is connected to your Slack workspace.',
  'retry-queued': 'Delivery queued again.',
  'preferences-saved': 'Your experiment notifications are saved.',
  'reminders-saved': 'Experiment reminder times saved. They apply to experiments scheduled from now on.',
  'srm-threshold-saved': 'Sample-ratio mismatch threshold saved. It applies to exposures received from now on.',
} as const;

export function noticeOf(code: unknown): string | undefined {
  return typeof code === 'string' && code in NOTICES ? NOTICES[code as keyof typeof NOTICES] : undefined;
}

export async function renderDashboard(
  ctx: SettingsContext,
  viewer: Viewer & { org: Organization },
  extras: {
    notice?: string | undefined;
    error?: string | undefined;
    createdKey?: { key: string; curl: string };
    /** a refused post, re-shown with what was typed */
    preference?: { values: PreferenceValues; error: PreferenceError };
    reminders?: { value: string; error: string };
    srmThreshold?: { value: string; error: string };
  } = {},
): Promise<string> {
  const { db } = ctx.deps;
  const orgId = viewer.org.id;
  // Only a person signed in with Slack has preferences of their own; the operator is nobody in particular.
  const person = viewer.session.kind === 'slack' ? viewer.session.user : undefined;
  const [alerts, projects, installation, offsets, threshold, preferences] = await Promise.all([
    listAlerts(db, orgId),
    listProjects(db, orgId),
    findLiveInstallation(db, orgId),
    reminderOffsets(db, orgId),
    srmThreshold(db, orgId),
    person ? preferencesOf(db, orgId, [person]) : undefined,
  ]);
  const stored = person ? preferences?.get(person) : undefined;
  const names = new Map(projects.map((p) => [p.projectId, p.name]));
  const canAdminister = can.administer(viewer.role);
  return dashboardView({
    header: headerOf(viewer),
    slack: {
      slackEnabled: ctx.deps.slack !== undefined,
      installation: installation
        ? {
            teamId: installation.team_id ?? installation.enterprise_id,
            installerUserId: installation.installer_user_id,
            installedAt: installation.installed_at,
          }
        : undefined,
      canAdminister,
      csrf: viewer.csrf,
    },
    alerts: alerts.map((alert) => ({ alert, projectName: names.get(alert.projectId) ?? null })),
    canManage: can.manageAlerts(viewer.role),
    canAdminister,
    keys: canAdminister ? await listIngestKeys(db, orgId) : undefined,
    createdKey: extras.createdKey,
    notice: extras.notice,
    error: extras.error,
    myNotifications: extras.preference ?? (stored ? { values: stored } : undefined),
    organizationNotifications: {
      reminders: extras.reminders ?? { value: formatReminderHours(offsets) },
      srmThreshold: extras.srmThreshold ?? { value: String(threshold) },
    },
  });
}

/** GET /settings: sign in, or the organization's page. */
export function registerDashboard(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;
  router.get('/', async (req, res) => {
    const viewer = await viewerOf(ctx, req);
    const installed = typeof req.query.installed === 'string' ? req.query.installed : undefined;
    if (!viewer) {
      const notice = installed ? 'Flag Alerts was added to your workspace. Sign in to manage its alerts.' : undefined;
      return void res.type('html').send(signInView({ slackEnabled: deps.slack !== undefined, notice }));
    }
    // Back from "Add to Slack": an operator goes straight to the workspace just connected.
    if (installed && viewer.session.kind === 'operator' && (await findOrganization(deps.db, installed))) {
      setSession(ctx, req, res, { ...viewer.session, org: installed });
      return void res.redirect(303, '/settings?notice=installed');
    }
    if (!viewer.org) {
      if (viewer.session.kind === 'operator') return void res.redirect(303, '/settings/organizations');
      return void res.type('html').send(messageView('Not found', 'Your workspace is no longer known here.', { href: '/slack/install', label: 'Add to Slack' }));
    }
    if (viewer.role === 'none') return refuse(res, 403, 'You have no role in this workspace. Ask an admin for one.');
    res.type('html').send(await renderDashboard(ctx, { ...viewer, org: viewer.org }, { notice: noticeOf(req.query.notice) }));
  });
}
