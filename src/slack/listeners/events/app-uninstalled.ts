import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { revokeInstallations } from '../../../installations/installations.repository.js';

/** The app was removed from a workspace: its installation stops serving requests and Slack deliveries. */
export function appUninstalled(deps: AppDeps) {
  return async ({ context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled'>) => {
    const enterpriseId = context.isEnterpriseInstall ? (context.enterpriseId ?? null) : (context.enterpriseId ?? null);
    const teamId = context.isEnterpriseInstall ? null : (context.teamId ?? null);
    const revoked = await revokeInstallations(deps.db, { enterpriseId, teamId }, deps.now());
    logger.info(`app_uninstalled: revoked ${revoked} installation(s) for ${teamId ?? enterpriseId}`);
  };
}
