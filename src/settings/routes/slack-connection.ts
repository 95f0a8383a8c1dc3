import type { Router } from 'express';
import { findLiveInstallation, revokeInstallations } from '../../installations/installations.repository.js';
import { can } from '../../roles/roles.js';
import { authorizePost, type SettingsContext } from './viewer.js';

/** Disconnect (admins): revoke the installation and ask Slack to uninstall the app. Reconnect is /slack/install. */
export function registerSlackConnection(router: Router, ctx: SettingsContext): void {
  const { deps } = ctx;
  router.post('/slack/disconnect', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, can.administer);
    if (!viewer) return;
    const installation = await findLiveInstallation(deps.db, viewer.org.id);
    if (installation) {
      await uninstallFromSlack(ctx, viewer.org.id);
      await revokeInstallations(deps.db, { enterpriseId: installation.enterprise_id, teamId: installation.team_id }, deps.now());
    }
    res.redirect(303, '/settings?notice=slack-disconnected');
  });
}

/** Best effort: the row is revoked either way, so a Slack failure only leaves the app listed in Slack. */
async function uninstallFromSlack(ctx: SettingsContext, organizationId: string): Promise<void> {
  const { deps } = ctx;
  const credentials = deps.config.slack;
  try {
    const client = deps.slack && credentials ? await deps.slack.clientFor(organizationId) : undefined;
    if (client && credentials) await client.apps.uninstall({ client_id: credentials.clientId, client_secret: credentials.clientSecret });
  } catch (error) {
    deps.logger.warn(
      { err: error instanceof Error ? error.message : String(error), organizationId },
      'apps.uninstall failed; the installation is revoked here anyway',
    );
  }
}
