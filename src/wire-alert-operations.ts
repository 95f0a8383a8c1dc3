import type { AppDeps } from './app-deps.js';
import type { AlertOperationsDeps } from './alerts/operations/deps.js';
import { createSendLimiter } from './alerts/operations/send-limit.js';
import { enqueueTestDelivery } from './delivery/deliveries.repository.js';
import { republishHome } from './slack/home/publish-home.js';

/**
 * What the alert operations are handed, built once by the composition root for both surfaces: the Slack
 * listeners and the settings page. After a change the Home tabs are republished, whichever surface made it.
 */
export function alertOperationsDepsOf(deps: AppDeps): AlertOperationsDeps {
  return {
    db: deps.db,
    box: deps.box,
    config: deps.config,
    logger: deps.logger,
    now: () => deps.now(),
    slack: deps.slack,
    queueTestDelivery: (input) => enqueueTestDelivery(deps, input),
    // Built here, once per app, like the caches: tests start several apps in one process.
    sendLimiter: createSendLimiter(),
    alertsChanged: (organizationId) => republishHome(deps, organizationId),
  };
}
