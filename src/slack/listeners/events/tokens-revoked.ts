import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { installKey, revokeInstallations, revokeUserToken } from '../../../installations/installations.repository.js';

/** Revoked bot tokens end the installation; revoked user tokens only drop the user token. */
export function tokensRevoked(deps: AppDeps) {
  return async ({ event, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'tokens_revoked'>) => {
    const enterpriseId = context.enterpriseId ?? null;
    const teamId = context.isEnterpriseInstall ? null : (context.teamId ?? null);
    if ((event.tokens.bot ?? []).length > 0) {
      await revokeInstallations(deps.db, { enterpriseId, teamId }, deps.now());
    } else if ((event.tokens.oauth ?? []).length > 0) {
      await revokeUserToken(deps.db, installKey(enterpriseId, teamId), deps.now());
    }
  };
}
