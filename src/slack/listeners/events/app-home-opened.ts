import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { publishHome } from '../../home/publish-home.js';
import { organizationOf } from '../actions/alert-access.js';

/** Someone opened the app's Home tab: publish it, and remember them so later changes refresh it. */
export function appHomeOpened(deps: AppDeps) {
  return async ({ event, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, organizationOf(context), event.user);
  };
}
