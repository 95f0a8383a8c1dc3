import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../app-deps.js';
import type { Alert } from '../../alerts/alert.js';
import { listAlerts, setAlertStatus } from '../../alerts/alerts.repository.js';
import { listProjects } from '../../catalog/catalog.repository.js';
import { defaultPreference, preferencesOf, type Preference } from '../../experiments/preferences.repository.js';
import { listAdmins } from '../../roles/members.repository.js';
import { roleOf } from '../../roles/role-of.js';
import { can } from '../../roles/roles.js';
import { checkChannelAccess } from '../api/channel-access.js';
import { publishHomeView } from '../api/publish-view.js';
import { buildHomeView, type HomeRow } from '../views/home-view.js';
import { askAnAdminAnswer } from '../views/messages.js';
import { visibleChannelNames } from './channel-names.js';
import { homePageOf, homeViewers, rememberHomeViewer } from './home-viewers.repository.js';

/** What publishing Home tabs needs: storage, Slack, the clock and the role and channel-name caches. */
export type HomeDeps = Pick<AppDeps, 'db' | 'slack' | 'logger' | 'now' | 'slackFacts' | 'channelNames'>;

/** Publishes one person's Home tab at a page (default: the page they were on). */
export async function publishHome(deps: HomeDeps, organizationId: string, userId: string, page?: number): Promise<void> {
  const client = deps.slack ? await deps.slack.clientFor(organizationId) : undefined;
  if (!client) return;
  const shownPage = page ?? (await homePageOf(deps.db, organizationId, userId));
  await rememberHomeViewer(deps.db, organizationId, userId, shownPage, deps.now());
  const [rows, preferences] = await Promise.all([loadRows(deps, organizationId), preferencesOf(deps.db, organizationId, [userId])]);
  await publishTo(deps, client, organizationId, { userId, page: shownPage }, rows, preferenceOf(preferences, userId));
}

/**
 * After any change: the people who recently opened the Home tab, on whichever instance, see it.
 * Failures are logged, never thrown at the person who made the change.
 */
export async function republishHome(deps: HomeDeps, organizationId: string): Promise<void> {
  if (!deps.slack) return;
  try {
    const viewers = await homeViewers(deps.db, organizationId, deps.now());
    if (viewers.length === 0) return;
    const client = deps.slack ? await deps.slack.clientFor(organizationId) : undefined;
    if (!client) return;
    const [rows, preferences] = await Promise.all([
      loadRows(deps, organizationId),
      preferencesOf(
        deps.db,
        organizationId,
        viewers.map((v) => v.userId),
      ),
    ]);
    await Promise.all(
      viewers.map((viewer) =>
        publishTo(deps, client, organizationId, viewer, rows, preferenceOf(preferences, viewer.userId)).catch((error: unknown) => {
          deps.logger.warn({ err: errorText(error), organizationId, userId: viewer.userId }, 'views.publish failed');
        }),
      ),
    );
  } catch (error) {
    deps.logger.warn({ err: errorText(error), organizationId }, 'Home tab refresh failed');
  }
}

/** The same for every viewer: loaded once per publish round. */
async function loadRows(deps: HomeDeps, organizationId: string): Promise<HomeRow[]> {
  const [stored, projects] = await Promise.all([listAlerts(deps.db, organizationId), listProjects(deps.db, organizationId)]);
  const alerts = await activateInvitedAlerts(deps, organizationId, stored);
  const channels = await visibleChannelNames(deps, organizationId, alerts);
  const names = new Map(projects.map((p) => [p.projectId, p.name]));
  return alerts.map((alert) => ({
    alert,
    projectName: names.get(alert.projectId) ?? null,
    channelName: alert.destination.type === 'slack' ? (channels.get(alert.destination.channelId) ?? null) : null,
  }));
}

function preferenceOf(preferences: Map<string, Preference>, userId: string): Preference {
  return preferences.get(userId) ?? defaultPreference(userId);
}

/**
 * What each person sees depends on their role: viewers get no buttons, people without a role no alerts.
 * Everyone gets their own notification preferences: those concern only themselves.
 */
async function publishTo(
  deps: HomeDeps,
  client: WebClient,
  organizationId: string,
  viewer: { userId: string; page: number },
  rows: HomeRow[],
  preference: Preference,
): Promise<void> {
  const role = await roleOf(deps, organizationId, viewer.userId);
  const view = can.view(role)
    ? buildHomeView({ rows, page: viewer.page, canManage: can.manageAlerts(role), preference })
    : buildHomeView({
        rows: [],
        page: 0,
        canManage: false,
        preference,
        notice: askAnAdminAnswer(role, 'see alerts', await listAdmins(deps.db, organizationId)).text,
      });
  await publishHomeView(client, viewer.userId, view);
}

/** Alerts waiting for an invite start sending once the bot is in their channel; the Home tab is where people look. */
async function activateInvitedAlerts(deps: HomeDeps, organizationId: string, alerts: Alert[]): Promise<Alert[]> {
  return Promise.all(
    alerts.map(async (alert) => {
      if (alert.status !== 'waiting' || alert.destination.type !== 'slack') return alert;
      const access = await checkChannelAccess(deps, organizationId, alert.destination.channelId);
      if (!access.canPost) return alert;
      await setAlertStatus(deps.db, organizationId, alert.id, 'active', null, deps.now());
      return { ...alert, status: 'active' as const, statusReason: null };
    }),
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
