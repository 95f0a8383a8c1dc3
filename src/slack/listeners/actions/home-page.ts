import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { publishHome } from '../../home/publish-home.js';
import { organizationOf } from './alert-access.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Next / Previous on the Home tab: the button carries the page to show. */
export function homePage(deps: AppDeps) {
  return async ({ ack, body, action, context }: Args) => {
    await ack();
    const page = /^\d{1,6}$/.test(action.value ?? '') ? Number(action.value) : 0;
    await publishHome(deps, organizationOf(context), body.user.id, page);
  };
}
